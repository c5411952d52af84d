package io.github.namedsem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code namedsem run}'s command never outlives namedsem: killed with it (kill -9 included),
 * SIGKILLed as a whole after the SIGTERM grace period, and what it leaves running is ended with
 * it. Each command tree carries a unique marker in every argv, so that /proc tells whether any
 * of its processes is alive.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RunProcessTreeIT {
    private final TestNames names = new TestNames();
    private final List<String> markers = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (String marker : markers) {
            for (long pid : processesWith(marker)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        names.unlinkAll();
    }

    private static Path workDir() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("namedsem.test.workDir")));
    }

    /** A link to sleep(1) whose path is unique: every process running it shows the marker in its argv. */
    private Path sleeper(String marker) throws IOException {
        markers.add(marker);
        Path sleep = Stream.of("/usr/bin/sleep", "/bin/sleep").map(Path::of).filter(Files::isExecutable).findFirst()
                .orElseThrow();
        return Files.createSymbolicLink(workDir().resolve(marker), sleep);
    }

    /** The pids whose command line contains {@code marker} (namedsem's own among them while it runs). */
    static List<Long> processesWith(String marker) throws IOException {
        return processes(argv -> argv.contains(marker));
    }

    /** The pids running the sleeper of {@code marker}: the command's grandchildren. */
    static List<Long> sleepersOf(String marker) throws IOException {
        String argv0 = workDir().resolve(marker) + "\0";
        return processes(argv -> argv.startsWith(argv0));
    }

    private static List<Long> processes(java.util.function.Predicate<String> argvMatches) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String argv = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (argvMatches.test(argv)) {
                        pids.add(Long.parseLong(dir.getFileName().toString()));
                    }
                } catch (IOException ended) {
                    // the process ended while we looked
                }
            }
        }
        return pids;
    }

    private static void awaitNoProcessWith(String marker, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!processesWith(marker).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(processesWith(marker)).as("processes of the command still alive").isEmpty();
    }

    /**
     * Starts {@code run} with a command whose shell, a subshell and two grandchildren all
     * ignore SIGTERM, and waits until the grandchildren run.
     */
    private Process startTree(String name, boolean crashSafe, String marker) throws Exception {
        Path sleeper = sleeper(marker);
        Path ready = workDir().resolve(marker + ".ready");
        String script = "trap '' TERM; (trap '' TERM; \"$0\" 300; :) & \"$0\" 300 & echo ready > " + ready + "; wait";
        List<String> args = new ArrayList<>(List.of("run", name, "--create", "--permits", "1"));
        if (crashSafe) {
            args.add("--crash-safe");
        }
        args.addAll(List.of("sh", "-c", script, sleeper.toString()));
        Process run = CliIT.namedsem(args.toArray(String[]::new)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(ready) && sleepersOf(marker).size() == 2)) {
            assertThat(System.nanoTime()).as("the command tree started").isLessThan(deadline);
            assertThat(run.isAlive()).as("namedsem runs").isTrue();
            Thread.sleep(20);
        }
        return run;
    }

    private static int available(String name, boolean crashSafe) throws Exception {
        CliIT.Result info = crashSafe ? CliIT.run("info", name, "--crash-safe", "--json") : CliIT.run("info", name, "--json");
        assertThat(info.status()).as(info.err()).isZero();
        var m = java.util.regex.Pattern.compile("\"available\":(\\d+)").matcher(info.out());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @ParameterizedTest(name = "crash-safe: {0}")
    @ValueSource(booleans = {false, true})
    void killDashNineOfNamedsemKillsTheWholeCommandTree(boolean crashSafe) throws Exception {
        String name = crashSafe ? names.crashSafe("kill9") : names.name("kill9");
        String marker = "nsmarker-kill9-" + name;
        Process run = startTree(name, crashSafe, marker);
        run.destroyForcibly(); // kill -9 of namedsem while its command tree holds the permit
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        awaitNoProcessWith(marker, 30);
        // Crash-safe: the kernel undid the permit. Standard: a POSIX semaphore has no undo, so the
        // permit of a killed holder is lost (release is the repair) -- but no command runs on it.
        assertThat(available(name, crashSafe)).isEqualTo(crashSafe ? 1 : 0);
        if (!crashSafe) {
            assertThat(CliIT.run("release", name).status()).isZero();
            assertThat(available(name, false)).isEqualTo(1);
        }
    }

    @Test
    void sigtermEndsGrandchildrenThatIgnoreItAfterTheGracePeriod() throws Exception {
        String name = names.name("sigterm");
        String marker = "nsmarker-term-" + name;
        Process run = startTree(name, false, marker);
        long signalled = System.nanoTime();
        run.destroy(); // SIGTERM to namedsem
        Thread.sleep(2_000);
        assertThat(run.isAlive()).as("namedsem waits out the grace period").isTrue();
        assertThat(sleepersOf(marker)).as("the grandchildren ignore SIGTERM").hasSize(2);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isEqualTo(143);
        assertThat(System.nanoTime() - signalled).as("not before the grace period")
                .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(9));
        awaitNoProcessWith(marker, 10);
        assertThat(available(name, false)).as("the permit came back").isEqualTo(1);
    }

    @Test
    void whatTheCommandLeavesRunningEndsWithIt() throws Exception {
        String name = names.name("leftover");
        String marker = "nsmarker-left-" + name;
        Path sleeper = sleeper(marker);
        CliIT.Result run = CliIT.run("run", name, "--create", "sh", "-c", "\"$0\" 300 & echo started", sleeper.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("started\n");
        awaitNoProcessWith(marker, 10);
        assertThat(available(name, false)).isEqualTo(1);
    }

    /**
     * The watcher's FIFO, begun while the semaphore opens, is removed before {@code run} waits for
     * a permit (none sits in the temporary directory for the length of a wait, or stays there if
     * namedsem is killed meanwhile), none is left when SIGTERM ends {@code run} at any moment of
     * its start, and the one a command used is gone after it.
     */
    @Test
    void noWatcherFifoWaitsWithRunOrOutlivesIt() throws Exception {
        String name = names.crashSafe("fifo");
        Path tmp = Files.createDirectories(workDir().resolve("tmp-" + name));
        assertThat(CliIT.run("create", name, "--crash-safe", "--permits", "1").status()).isZero();
        // A crash-safe permit is held only as long as its process lives: a run holds it.
        String marker = "nsmarker-fifo-" + name;
        Process holder = CliIT.namedsem("run", name, "--crash-safe", sleeper(marker).toString(), "300")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long held = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (available(name, true) != 0) {
            assertThat(System.nanoTime()).as("the holder has the permit").isLessThan(held);
            Thread.sleep(20);
        }

        Process waiting = runWithTemporaryDirectory(tmp, name).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (waiters(name) < 1) {
            assertThat(System.nanoTime()).as("run waits for the permit").isLessThan(deadline);
            assertThat(waiting.isAlive()).isTrue();
            Thread.sleep(20);
        }
        assertThat(entries(tmp)).as("while run waits").isEmpty();
        waiting.destroyForcibly();
        assertThat(waiting.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(entries(tmp)).as("after kill -9 of a waiting run").isEmpty();

        // Start-up, the semaphore's opening (the FIFO is being made) and the wait, in turn.
        for (int i = 0; i < 10; i++) {
            Process run = runWithTemporaryDirectory(tmp, name).start();
            Thread.sleep(i * 20L);
            run.destroy();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(entries(tmp)).as("after SIGTERM at moments spread over run's start").isEmpty();

        holder.destroy();
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // What a kill -9 during start-up leaves, the next run removes, if its process is gone and
        // it is old enough not to belong to a run starting now (say, in another pid namespace).
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path stale = Files.createDirectory(tmp.resolve("namedsem-run-" + ended.pid() + "-stale"));
        Path young = Files.createDirectory(tmp.resolve("namedsem-run-" + ended.pid() + "-young"));
        assertThat(new ProcessBuilder("mkfifo", stale.resolve("orders").toString()).start().waitFor()).isZero();
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        CliIT.Result ran = CliIT.run(runWithTemporaryDirectory(tmp, name));
        assertThat(ran.status()).as(ran.err()).isZero();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (entries(tmp).size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(20); // the watcher removes it beside the command's start
        }
        assertThat(entries(tmp)).as("after a run").containsExactly(young);
    }

    private static ProcessBuilder runWithTemporaryDirectory(Path tmp, String name) {
        ProcessBuilder run = CliIT.namedsem("run", name, "--crash-safe", "true")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        run.environment().put("JDK_JAVA_OPTIONS", "-Djava.io.tmpdir=" + tmp);
        return run;
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        }
    }

    private static int waiters(String name) throws Exception {
        CliIT.Result info = CliIT.run("info", name, "--crash-safe", "--json");
        assertThat(info.status()).as(info.err()).isZero();
        var m = java.util.regex.Pattern.compile("\"waiters\":(\\d+)").matcher(info.out());
        assertThat(m.find()).as(info.out()).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
