package io.github.namedsem.cli;

import static io.github.namedsem.cli.CliIT.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The conventions shell users expect from flock(1), timeout(1), sudo and the shell itself. */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CliConventionsIT {
    private final TestNames names = new TestNames();

    @AfterEach
    void unlink() throws Exception {
        names.unlinkAll();
    }

    private static Path workDir() throws Exception {
        return Files.createDirectories(Path.of(System.getProperty("namedsem.test.workDir")));
    }

    @Test
    void optionsEndAtTheCommandSoItsOwnOptionsNeedNoDashDash() throws Exception {
        String name = names.name("opts");
        CliIT.Result ls = run("run", name, "--create", "ls", "-d", "/tmp");
        assertThat(ls.status()).as(ls.err()).isZero();
        assertThat(ls.out()).isEqualTo("/tmp\n");
        CliIT.Result echo = run("run", name, "-w", "5", "sh", "-c", "echo \"$@\"", "sh", "--create", "-w", "5", "--");
        assertThat(echo.out()).as("options after COMMAND are COMMAND's").isEqualTo("--create -w 5 --\n");
        assertThat(run("run", name, "--", "ls", "-d", "/").out()).as("-- still works").isEqualTo("/\n");
    }

    @Test
    void timeoutsTakeBareSecondsCompoundDaysAndIso8601() throws Exception {
        String busy = names.name("busy");
        assertThat(run("create", busy, "--permits", "1", "--initial", "0").status()).isZero();
        CliIT.Result seconds = run("acquire", busy, "-w", "0.3");
        assertThat(seconds.status()).isEqualTo(75);
        assertThat(seconds.err()).isEqualTo("namedsem: timed out after 300ms waiting for a permit of /" + busy + " (0 free)\n");
        assertThat(run("acquire", busy, "--timeout", "PT0.2S").err()).startsWith("namedsem: timed out after 200ms");
        assertThat(run("run", busy, "--timeout=0s250ms", "true").err()).startsWith("namedsem: timed out after 250ms");
        String free = names.name("free");
        assertThat(run("create", free, "--permits", "3").status()).isZero();
        assertThat(run("acquire", free, "-w", "1m30s").status()).isZero();
        assertThat(run("acquire", free, "--timeout", "1d").status()).isZero();
        assertThat(run("run", free, "-w", "5", "true").status()).isZero();
    }

    @Test
    void nonblockAndAConfigurableExitStatusLikeFlock() throws Exception {
        String name = names.name("nb");
        assertThat(run("create", name, "--permits", "1", "--initial", "0").status()).isZero();
        CliIT.Result nonblock = run("acquire", name, "-n");
        assertThat(nonblock.status()).isEqualTo(75);
        assertThat(nonblock.err()).isEqualTo("namedsem: no permit of /" + name + " is free (0 free)\n");
        assertThat(run("run", name, "-n", "-E", "3", "true").status()).isEqualTo(3);
        assertThat(run("acquire", name, "--nonblock", "--conflict-exit-code", "0").status()).isZero();
        CliIT.Result bad = run("run", name, "-E", "256", "true");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("invalid exit status '256'").contains("namedsem run --help").hasLineCount(1);
        CliIT.Result both = run("acquire", name, "-n", "-w", "5");
        assertThat(both.status()).isEqualTo(75);
        assertThat(both.err()).startsWith("namedsem: warning: --timeout (-n means do not wait) is ignored\n");
    }

    @Test
    void commandsThatCannotStartExit127Or126AndTakeNoPermit() throws Exception {
        String name = names.name("exec");
        assertThat(run("create", name, "--permits", "1").status()).isZero();
        CliIT.Result notFound = run("run", name, "namedsem-no-such-command");
        assertThat(notFound.status()).isEqualTo(127);
        assertThat(notFound.err()).startsWith("namedsem: cannot run 'namedsem-no-such-command': command not found in PATH")
                .hasLineCount(1);
        assertThat(run("run", name, "/nonexistent/command").status()).isEqualTo(127);
        Path plain = workDir().resolve(name + ".txt");
        Files.writeString(plain, "echo not executable\n");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        CliIT.Result notExecutable = run("run", name, plain.toString());
        assertThat(notExecutable.status()).isEqualTo(126);
        assertThat(notExecutable.err()).contains("permission denied").contains("chmod +x");
        assertThat(run("run", name, "/tmp").status()).as("a directory").isEqualTo(126);
        assertThat(run("run", name, "sh", "-c", "exit 127").status()).as("a command's own 127 passes through").isEqualTo(127);
        assertThat(run("run", name, "-n", "true").status()).as("no permit was kept").isZero();
    }

    @Test
    void silentOnSuccessUnlessVerbose() throws Exception {
        String name = names.name("quiet");
        for (String[] args : new String[][] {{"create", name, "--permits", "2"}, {"acquire", name}, {"release", name},
            {"run", name, "true"}, {"create", name, "--exist-ok"}, {"unlink", name}}) {
            CliIT.Result r = run(args);
            assertThat(r.status()).as(String.join(" ", args)).isZero();
            assertThat(r.out() + r.err()).as(String.join(" ", args)).isEmpty();
        }
        assertThat(run("create", name, "-v").out()).startsWith("created /" + name);
        assertThat(run("acquire", name, "-v").out()).startsWith("acquired a permit of /" + name);
        assertThat(run("release", name, "-v").out()).startsWith("released 1 on /" + name);
        CliIT.Result verboseRun = run("run", name, "-v", "true");
        assertThat(verboseRun.out()).isEmpty();
        assertThat(verboseRun.err()).startsWith("namedsem: acquired a permit of /" + name).contains("running true");
    }

    @Test
    void ignoredOptionsAreWarnedAbout() throws Exception {
        String name = names.name("ignored");
        assertThat(run("create", name, "--permits", "2").status()).isZero();
        CliIT.Result permits = run("run", name, "--permits", "3", "true");
        assertThat(permits.status()).isZero();
        assertThat(permits.err()).isEqualTo("namedsem: warning: --permits is ignored without --create\n");
        assertThat(run("run", name, "--exist-ok", "true").err()).isEqualTo("namedsem: warning: --exist-ok is ignored without --create\n");
        CliIT.Result exists = run("create", name, "--exist-ok", "--permits", "5", "--mode", "0666");
        assertThat(exists.status()).isZero();
        assertThat(exists.err()).isEqualTo("namedsem: warning: /" + name + " already exists and is left as it was (2 free):"
                + " --permits, --mode ignored\n");
    }

    @Test
    void createWithOtherPermitsThanTheExistingSemaphoreIsAnErrorUnlessExistOk() throws Exception {
        String crashSafe = names.crashSafe("permits");
        assertThat(run("create", crashSafe, "--crash-safe", "--permits", "2").status()).isZero();
        CliIT.Result other = run("run", crashSafe, "--crash-safe", "--create", "--permits", "5", "true");
        assertThat(other.status()).isEqualTo(1);
        assertThat(other.err()).contains("exists with 2 permits, not the 5 of --permits").contains("--exist-ok")
                .contains("namedsem unlink " + crashSafe).hasLineCount(1);
        assertThat(run("run", crashSafe, "--crash-safe", "--create", "--permits", "5", "--exist-ok", "true").status()).isZero();
        assertThat(run("run", crashSafe, "--crash-safe", "--create", "--permits", "2", "true").status()).isZero();
        // A POSIX semaphore records no maximum; more free permits than asked for still proves a difference.
        String standard = names.name("permits");
        assertThat(run("create", standard, "--permits", "3").status()).isZero();
        CliIT.Result more = run("run", standard, "--create", "--permits", "1", "true");
        assertThat(more.status()).isEqualTo(1);
        assertThat(more.err()).contains("exists with 3 free permits, not the 1 of --permits");
    }

    @Test
    void theLauncherWorksThroughSymbolicLinks() throws Exception {
        Path dir = Files.createTempDirectory(workDir(), "links");
        Path link = Files.createSymbolicLink(dir.resolve("namedsem"), CliIT.root().resolve("bin/namedsem"));
        Path relative = Files.createSymbolicLink(dir.resolve("ns"), Path.of("namedsem")); // a link to a link
        for (Path launcher : new Path[] {link, relative}) {
            ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version").directory(Path.of("/").toFile());
            pb.environment().put("NAMEDSEM_NO_BUILD", "1");
            Process p = pb.redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).startsWith("namedsem ");
        }
        // Called by name from the PATH, as after 'ln -s .../bin/namedsem ~/.local/bin/'.
        ProcessBuilder viaPath = new ProcessBuilder("sh", "-c", "ns --version").directory(Path.of("/").toFile());
        viaPath.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        viaPath.environment().put("NAMEDSEM_NO_BUILD", "1");
        Process p = viaPath.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).startsWith("namedsem ");
    }

    /** What bash completion offers for the words so far, the last being the one completed. */
    private static java.util.List<String> complete(String... words) throws Exception {
        String script = "source <(NAMEDSEM_NO_BUILD=1 " + CliIT.root().resolve("bin/namedsem") + " generate-completion)\n"
                + "COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\"; COMPREPLY=()\n"
                + "_namedsem_complete 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("bash", "-c", script, "bash"));
        command.addAll(java.util.List.of(words));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void completionOffersExistingNamesAndTheCommandAfterRunName() throws Exception {
        String standard = names.name("compl");
        String crashSafe = names.crashSafe("compl");
        assertThat(run("create", standard).status()).isZero();
        assertThat(run("create", crashSafe, "--crash-safe").status()).isZero();
        String prefix = "nscli-compl-" + ProcessHandle.current().pid() + "-";
        assertThat(complete("namedsem", "info", prefix)).contains(standard, crashSafe);
        assertThat(complete("namedsem", "run", "-w", "5", prefix)).as("after an option and its value").contains(standard);
        assertThat(complete("namedsem", "run", standard, "hostnam")).as("commands after run NAME").contains("hostname");
        assertThat(complete("namedsem", "run", "--create", standard, "--", "printen")).contains("printenv");
        assertThat(complete("namedsem", "run", standard, "-")).as("run's own options before COMMAND").contains("--timeout", "-n");
        assertThat(complete("namedsem", "cre")).containsExactly("create");
    }

    @Test
    void theBuildWritesTheManPageAndTheCompletionScriptFromTheHelp() throws Exception {
        CliIT.Result man = run("generate-man-page");
        assertThat(man.status()).isZero();
        assertThat(man.out()).startsWith(".TH NAMEDSEM 1 ").contains(".SS namedsem run")
                .contains("\\&Wait for a permit, run COMMAND, and give the permit back when it ends.");
        assertThat(Files.readString(CliIT.root().resolve("cli/target/namedsem.1"))).isEqualTo(man.out());
        assertThat(Files.readString(CliIT.root().resolve("cli/target/namedsem.bash")))
                .isEqualTo(run("generate-completion").out()).contains("complete -F _namedsem_complete");
    }

    @Test
    void runHoldsSeveralPermitsAtOnceWhereTheKindCan() throws Exception {
        String crashSafe = names.crashSafe("count");
        assertThat(run("create", crashSafe, "--crash-safe", "--permits", "3").status()).isZero();
        String info = CliIT.root().resolve("bin/namedsem") + " info " + crashSafe + " --json";
        CliIT.Result two = run("run", crashSafe, "--crash-safe", "--count", "2", "sh", "-c", info);
        assertThat(two.status()).as(two.err()).isZero();
        assertThat(two.out()).as("while the command runs").contains("\"available\":1,\"max\":3");
        assertThat(run("info", crashSafe, "--json").out()).as("given back").contains("\"available\":3,\"max\":3");
        assertThat(run("run", crashSafe, "--crash-safe", "--count", "3", "-n", "true").status()).isZero();
        String standard = names.name("count");
        assertThat(run("create", standard, "--permits", "3").status()).isZero();
        CliIT.Result unsupported = run("run", standard, "--count", "2", "true");
        assertThat(unsupported.status()).isEqualTo(1);
        assertThat(unsupported.err()).contains("CRASH_SAFE").hasLineCount(1);
        assertThat(run("run", standard, "--count", "0", "true").status()).as("a usage error").isEqualTo(2);
    }
}
