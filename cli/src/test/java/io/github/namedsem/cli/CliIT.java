package io.github.namedsem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every subcommand as users run it: bin/namedsem as a separate process, real exit codes. */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CliIT {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final List<String> created = new ArrayList<>();

    record Result(int status, String out, String err) {}

    private String name(String hint) {
        String name = "nscli-" + hint + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        created.add(name);
        return name;
    }

    @AfterEach
    void unlinkEverything() throws Exception {
        for (String name : created) {
            Files.deleteIfExists(Path.of("/dev/shm/sem." + name)); // what sem_unlink does on Linux
        }
    }

    static Path root() {
        return Path.of(System.getProperty("namedsem.test.root"));
    }

    static ProcessBuilder namedsem(String... args) {
        List<String> command = new ArrayList<>(List.of(root().resolve("bin/namedsem").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("NAMEDSEM_NO_BUILD", "1");
        return pb;
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(namedsem(args));
    }

    /** Runs a command to its end: its exit status, stdout and stderr. */
    static Result run(ProcessBuilder command) throws IOException, InterruptedException {
        Process p = command.start();
        var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ended", command.command()).isTrue();
        return new Result(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int available(String name) throws Exception {
        Result info = run("info", name, "--json");
        assertThat(info.status()).as(info.err()).isZero();
        var m = java.util.regex.Pattern.compile("\"available\":(\\d+)").matcher(info.out());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void createInfoAcquireReleaseUnlink() throws Exception {
        String name = name("basic");
        Result create = run("create", name, "--permits", "2", "-v");
        assertThat(create.status()).isZero();
        assertThat(create.out()).isEqualTo("created /" + name + " with 2 of 2 permits free\n");

        Result again = run("create", name, "--permits", "2");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).startsWith("namedsem: a semaphore named /" + name + " already exists")
                .contains("--exist-ok").hasLineCount(1);
        assertThat(run("create", name, "--exist-ok", "-v").out()).startsWith("exists /" + name);

        Result info = run("info", name, "--json");
        assertThat(info.out()).isEqualTo("{\"name\":\"" + name + "\",\"osName\":\"/" + name + "\",\"kind\":\"standard\","
                + "\"available\":2,\"max\":null,\"file\":\"/dev/shm/sem." + name + "\",\"owner\":\"" + System.getProperty("user.name")
                + "\",\"mode\":\"0600\",\"holders\":[],\"deadPermits\":0,\"deadPermitsReturned\":false,\"waiters\":null,\"lastPid\":null}\n");
        assertThat(run("info", name).out()).contains("available: 2").contains("osName:    /" + name);

        assertThat(run("acquire", name, "--verbose").out()).isEqualTo("acquired a permit of /" + name + " (1 free now)\n");
        assertThat(available(name)).as("acquire keeps its permit after exiting").isEqualTo(1);
        assertThat(run("acquire", name, "--timeout", "0").status()).isZero();
        Result timedOut = run("acquire", name, "--timeout", "300ms");
        assertThat(timedOut.status()).isEqualTo(75);
        assertThat(timedOut.err()).isEqualTo("namedsem: timed out after 300ms waiting for a permit of /" + name + " (0 free)\n");
        assertThat(run("acquire", name, "--timeout", "0").status()).isEqualTo(75);

        Result release = run("release", name, "--count", "2", "-v");
        assertThat(release.status()).isZero();
        assertThat(release.out()).isEqualTo("released 2 on /" + name + " (0 free before, 2 now)\n");

        Result list = run("list", "--json");
        assertThat(list.out()).contains("{\"name\":\"" + name + "\",\"osName\":\"/" + name + "\",\"kind\":\"standard\",\"available\":2");
        assertThat(run("list").out()).startsWith("NAME").containsPattern(name + " +standard +2 ");

        assertThat(run("unlink", name, "-v").out()).isEqualTo("unlinked " + name + "\n");
        Result gone = run("unlink", name);
        assertThat(gone.status()).isEqualTo(1);
        assertThat(gone.err()).contains("--force");
        assertThat(run("unlink", name, "--force").status()).isZero();
    }

    @Test
    void aMissingNameSaysHowToCreateIt() throws Exception {
        String name = name("missing");
        for (String[] args : new String[][] {{"info", name}, {"acquire", name}, {"release", name}, {"run", name, "--", "true"}}) {
            Result r = run(args);
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("namedsem: no semaphore named /" + name + " (ENOENT); create it with 'namedsem create "
                    + name + " --permits 2' (or run with --create)\n");
        }
    }

    @Test
    void badNamesDurationsAndOptionsAreUsageErrorsOnOneLine() throws Exception {
        Result badName = run("create", "a/b");
        assertThat(badName.status()).isEqualTo(2);
        assertThat(badName.err()).startsWith("namedsem: Invalid semaphore name \"a/b\"").hasLineCount(1);
        Result badDuration = run("acquire", "x", "--timeout", "5x");
        assertThat(badDuration.status()).isEqualTo(2);
        assertThat(badDuration.err()).contains("invalid duration '5x'").contains("500ms").hasLineCount(1);
        Result badOption = run("create", "x", "--bogus");
        assertThat(badOption.status()).isEqualTo(2);
        assertThat(badOption.err()).contains("--bogus").contains("namedsem create --help").hasLineCount(1);
        Result badMode = run("create", "x", "--mode", "999");
        assertThat(badMode.status()).isEqualTo(2);
        assertThat(badMode.err()).contains("invalid mode '999'");
        Result badCounts = run("create", name("counts"), "--permits", "2", "--initial", "3");
        assertThat(badCounts.status()).isEqualTo(2);
        assertThat(badCounts.err()).contains("exceeds maxPermits");
        assertThat(run().status()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "acquire", "release", "info", "list", "unlink", "run", "demo"})
    void everySubcommandHasHelp(String command) throws Exception {
        Result help = run(command, "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("Usage: namedsem " + command);
    }

    @Test
    void versionHelpAndCompletion() throws Exception {
        assertThat(run("--version").out()).startsWith("namedsem ");
        Result help = run("--help");
        assertThat(help.out()).contains("Exit status:").contains("75").contains("generate-completion");
        Result completion = run("generate-completion");
        assertThat(completion.status()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("namedsem");
    }

    @Test
    void onATerminalAStatusLineShowsTheWaitAndQuietSilencesIt() throws Exception {
        String name = name("tty");
        assertThat(run("create", name, "--permits", "1", "--initial", "0").status()).isZero();
        String launcher = root().resolve("bin/namedsem").toString();
        // script(1) gives the command a pseudo-terminal for stdout and stderr.
        for (boolean quiet : new boolean[] {false, true}) {
            String command = "NAMEDSEM_NO_BUILD=1 " + launcher + " acquire " + name + " --timeout 700ms" + (quiet ? " -q" : "");
            Process p = new ProcessBuilder("script", "-qfec", command, "/dev/null").redirectErrorStream(true).start();
            String screen = read(p.getInputStream());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(75);
            if (quiet) {
                assertThat(screen).doesNotContain("elapsed");
            } else {
                assertThat(screen).contains("waiting for /" + name + ": 0 free").contains("elapsed")
                        .as("the line is erased when the wait ends").contains("\r\u001b[K");
            }
            assertThat(screen).contains("timed out after 700ms");
        }
    }

    @Test
    void runReturnsTheCommandsStatusAndGivesThePermitBack() throws Exception {
        String name = name("status");
        assertThat(run("run", name, "--create", "--permits", "1", "--", "sh", "-c", "exit 7").status()).isEqualTo(7);
        assertThat(available(name)).isEqualTo(1);
        assertThat(available(name)).isEqualTo(1);
    }

    @Test
    void sixRunsOverTwoPermitsNeverOverlapMoreThanTwo() throws Exception {
        String name = name("six");
        assertThat(run("create", name, "--permits", "2").status()).isZero();
        Path log = Files.createDirectories(Path.of(System.getProperty("namedsem.test.workDir"))).resolve(name + ".log");
        String script = "echo \"start $(date +%s%N)\" >> " + log + "; sleep 0.4; echo \"end $(date +%s%N)\" >> " + log;
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            runs.add(namedsem("run", name, "--", "sh", "-c", script).redirectErrorStream(true).start());
        }
        for (Process p : runs) {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(read(p.getInputStream())).isZero();
        }
        List<long[]> events = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] parts = line.split(" ");
            events.add(new long[] {Long.parseLong(parts[1]), parts[0].equals("start") ? 1 : -1});
        }
        assertThat(events).hasSize(12);
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int running = 0;
        int most = 0;
        for (long[] e : events) {
            running += (int) e[1];
            most = Math.max(most, running);
        }
        assertThat(most).isLessThanOrEqualTo(2).isGreaterThanOrEqualTo(1);
        assertThat(available(name)).isEqualTo(2);
    }

    /**
     * Some process is blocked in sem_wait on the semaphore. glibc keeps the number of waiters
     * in the high half of the 64-bit word at the start of the sem_t, that is of the file
     * /dev/shm/sem.NAME (an implementation detail, good enough for a test on glibc).
     */
    private static void awaitWaiter(String name) throws Exception {
        Path file = Path.of("/dev/shm/sem." + name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var data = java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            if ((data.getLong(0) >>> 32) > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nobody started waiting on /" + name);
    }

    @Test
    void sigtermWhileWaitingLeavesTheCountUnchanged() throws Exception {
        String name = name("sigwait");
        assertThat(run("create", name, "--permits", "1", "--initial", "0").status()).isZero();
        Path stderr = Files.createDirectories(Path.of(System.getProperty("namedsem.test.workDir"))).resolve(name + ".err");
        Process waiting = namedsem("run", name, "--", "true").redirectError(stderr.toFile()).start();
        awaitWaiter(name);
        waiting.destroy(); // SIGTERM
        assertThat(waiting.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(waiting.exitValue()).isEqualTo(143);
        assertThat(Files.readString(stderr)).as("no timeout message, no exception").isEmpty();
        assertThat(available(name)).isZero();
        assertThat(run("release", name).status()).isZero();
        assertThat(available(name)).as("nothing was taken or added by the signalled run").isEqualTo(1);
    }

    @Test
    void sigtermWhileTheCommandRunsEndsItAndRestoresThePermit() throws Exception {
        String name = name("sigrun");
        assertThat(run("create", name, "--permits", "1").status()).isZero();
        Path pidFile = Files.createDirectories(Path.of(System.getProperty("namedsem.test.workDir"))).resolve(name + ".pid");
        Process running = namedsem("run", name, "--", "sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60").start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(pidFile) && Files.readString(pidFile).endsWith("\n"))) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        long commandPid = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(available(name)).isZero();
        running.destroy(); // SIGTERM to namedsem
        assertThat(running.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(running.exitValue()).isEqualTo(143);
        assertThat(ProcessHandle.of(commandPid).map(ProcessHandle::isAlive).orElse(false)).as("the command was ended").isFalse();
        assertThat(available(name)).as("the permit came back").isEqualTo(1);
    }

    @Test
    void runCrashSafeSurvivesKillDashNineOfAHolderWithoutLosingCapacity() throws Exception {
        String name = name("crashsafe");
        assertThat(run("create", name, "--permits", "1", "--crash-safe", "-v").out()).startsWith("created sysv:0x");
        Path pidFile = Files.createDirectories(Path.of(System.getProperty("namedsem.test.workDir"))).resolve(name + ".pid");
        Process holder = namedsem("run", name, "--crash-safe", "--", "sh", "-c", "echo $$ > " + pidFile + "; exec sleep 60").start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(pidFile) && Files.readString(pidFile).endsWith("\n"))) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        Result during = run("info", name, "--json");
        assertThat(during.out()).as("info finds the crash-safe semaphore by name").contains("\"kind\":\"crash-safe\",\"available\":0,\"max\":1");
        holder.destroyForcibly(); // kill -9 of namedsem while its command holds the permit
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(run("info", name, "--crash-safe", "--json").out()).as("the kernel gave the permit back")
                .contains("\"available\":1,\"max\":1");
        Result next = run("run", name, "--crash-safe", "--timeout", "0", "--", "true");
        assertThat(next.status()).as(next.err()).isZero();
        assertThat(run("list").out()).containsPattern(name + " +crash-safe +1 +1 ");
        assertThat(run("unlink", name, "--crash-safe").status()).isZero();
    }

    @Test
    void theDemoRunsWithTheCrashSafeKindToo() throws Exception {
        Result demo = run("demo", "--workers", "3", "--permits", "1", "--rounds", "1", "--crash-safe");
        assertThat(demo.status()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("sysv:0x").containsPattern("At most 1 of 3 processes held a permit at once \\(limit 1\\)");
    }

    @Test
    void theCliAndACProgramSeeEachOthersAcquiresAndReleases() throws Exception {
        String name = name("c");
        Path peer = compilePeer();
        assertThat(run("create", name, "--permits", "2").status()).isZero();
        assertThat(run("acquire", name).status()).isZero();
        assertThat(runPeer(peer, "value", "/" + name)).isEqualTo("1");
        assertThat(runPeer(peer, "wait", "/" + name, "1000")).endsWith("acquired");
        assertThat(run("acquire", name, "--timeout", "0").status()).as("C took the last permit").isEqualTo(75);
        assertThat(runPeer(peer, "post", "/" + name, "2")).isEqualTo("2");
        assertThat(available(name)).isEqualTo(2);
        // Take both free permits, so that C must wait for the CLI's release.
        assertThat(run("acquire", name, "--timeout", "5s").status()).isZero();
        assertThat(run("acquire", name, "--timeout", "5s").status()).isZero();
        Process cWaits = new ProcessBuilder(peer.toString(), "wait", "/" + name, "30000").start();
        Thread.sleep(200);
        assertThat(run("release", name).status()).isZero();
        assertThat(cWaits.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(read(cWaits.getInputStream())).contains("acquired");
    }

    private static String runPeer(Path peer, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(peer.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = read(p.getInputStream()).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    private static Path compilePeer() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("namedsem.test.workDir")));
        Path binary = dir.resolve("peer");
        if (!Files.exists(binary)) {
            Process gcc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(),
                    root().resolve("core/src/test/c/peer.c").toString()).inheritIO().start();
            assertThat(gcc.waitFor()).isZero();
        }
        return binary;
    }

    @Test
    void theDemoShowsAtMostTheLimit() throws Exception {
        Result demo = run("demo", "--workers", "4", "--permits", "2", "--rounds", "2");
        assertThat(demo.status()).as(demo.err()).isZero();
        assertThat(demo.out()).contains("starting 4 worker processes").contains("holders [##]")
                .containsPattern("At most [12] of 4 processes held a permit at once \\(limit 2\\)");
    }
}
