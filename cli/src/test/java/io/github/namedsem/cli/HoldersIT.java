package io.github.namedsem.cli;

import static io.github.namedsem.cli.CliIT.namedsem;
import static io.github.namedsem.cli.CliIT.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** 'info' names the holders of 'run', and 'repair' gives back what a kill -9 took: real processes, real signals. */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HoldersIT {
    private final List<String[]> toUnlink = new ArrayList<>();
    private final List<ProcessHandle> toKill = new ArrayList<>();

    private String name(String hint, boolean crashSafe) {
        String name = "nscli-" + hint + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
        toUnlink.add(crashSafe ? new String[] {"unlink", name, "--crash-safe", "--force"} : new String[] {"unlink", name, "--force"});
        return name;
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (ProcessHandle p : toKill) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.onExit().get(30, TimeUnit.SECONDS);
        }
        for (String[] unlink : toUnlink) {
            run(unlink);
        }
    }

    private Process start(String... args) throws Exception {
        Process p = namedsem(args).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        toKill.add(p.toHandle());
        return p;
    }

    /** info --json once the semaphore shows {@code holders} recorded holders. */
    private static String awaitHolders(String name, int holders) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String json;
        do {
            json = run("info", name, "--json").out();
            if (count(json, "\"pid\":") == holders) {
                return json;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + holders + " holders of " + name + ": " + json);
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    @Test
    void infoShowsTheHolderOfACrashSafeRunWithTheKernelsWaiterCount() throws Exception {
        String name = name("holder-cs", true);
        assertThat(run("create", name, "--crash-safe", "--permits", "1").status()).isZero();
        Process holder = start("run", name, "--", "sleep", "120"); // no --crash-safe: the kind is found by itself
        String json = awaitHolders(name, 1);
        assertThat(json).contains("\"kind\":\"crash-safe\"")
                .contains("{\"pid\":" + holder.pid() + ",\"command\":\"sleep 120\",\"started\":\"")
                .contains("\"state\":\"alive\"").contains("\"deadPermitsReturned\":true");

        start("run", name, "--", "true");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!run("info", name, "--json").out().contains("\"waiters\":1,") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        CliIT.Result info = run("info", name);
        assertThat(info.out()).contains("waiters:   1")
                .containsPattern("holders: +1 permit held by pid " + holder.pid() + " \\(sleep 120\\), started \\d{4}-");
    }

    @Test
    void infoShowsTheHolderOfAStandardRunAndRepairGivesBackOnlyAKilledHoldersPermits() throws Exception {
        String name = name("holder-std", false);
        assertThat(run("create", name, "--permits", "3").status()).isZero();
        Process killed = start("run", name, "--", "sleep", "121");
        Process living = start("run", name, "--", "sleep", "122");
        assertThat(run("acquire", name).status()).isZero(); // kept after exit, recorded by nobody: never repaired
        awaitHolders(name, 2);
        assertThat(run("info", name).out())
                .containsPattern("1 permit held by pid " + killed.pid() + " \\(sleep 121\\), started [-0-9]+ [:0-9]+\n");

        List<ProcessHandle> orphans = killed.descendants().toList();
        killed.destroyForcibly().waitFor(); // kill -9: a standard semaphore does not get the permit back
        orphans.forEach(ProcessHandle::destroyForcibly);
        assertThat(available(name)).isZero();
        CliIT.Result info = run("info", name);
        assertThat(info.out()).contains("1 permit held by pid " + killed.pid() + " (sleep 121)")
                .contains(", which no longer exists")
                .contains("1 permit held by processes that no longer exist: 'namedsem repair " + name + "'");

        CliIT.Result dryRun = run("repair", name, "--dry-run");
        assertThat(dryRun.status()).isZero();
        assertThat(dryRun.out()).isEqualTo("would give back 1 permit of pid " + killed.pid()
                + " (sleep 121), which no longer exists\n");
        assertThat(available(name)).as("a dry run changes nothing").isZero();

        CliIT.Result repair = run("repair", name);
        assertThat(repair.status()).isZero();
        assertThat(repair.out()).isEqualTo("gave back 1 permit of pid " + killed.pid() + " (sleep 121), which no longer"
                + " exists\n/" + name + " has 1 free now\n");
        assertThat(available(name)).as("the killed holder's permit, and only that").isEqualTo(1);
        assertThat(run("repair", name).out()).startsWith("nothing to repair");
        assertThat(available(name)).isEqualTo(1);
        assertThat(run("info", name, "--json").out()).contains("{\"pid\":" + living.pid() + ",")
                .doesNotContain("\"pid\":" + killed.pid());
    }

    private static int available(String name) throws Exception {
        Matcher m = Pattern.compile("\"available\":(\\d+)").matcher(run("info", name, "--json").out());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
