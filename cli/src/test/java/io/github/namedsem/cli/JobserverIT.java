package io.github.namedsem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code namedsem run --jobserver}: real builds (Debian's GNU make 4.3, pipe style) and a C
 * client that speaks the fifo style as make 4.4 does, sharing one crash-safe semaphore. Every
 * recipe appends "start TIME TAG" once it holds a job slot and "end TIME TAG" before it gives
 * the slot back, so the logs show how many jobs ran at once across all builds.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class JobserverIT {
    /** 0.3 s recipes; T and LOG and TAG are set on make's command line. */
    private static final String MAKEFILE = """
            T = t1 t2 t3 t4 t5 t6 t7 t8 t9 t10 t11 t12
            all: $(T)
            $(T): $(FIRST)
            \t@echo "start $$(date +%s.%N) $(TAG)$@" >> $(LOG); sleep 0.3; echo "end $$(date +%s.%N) $(TAG)$@" >> $(LOG)
            leak:
            \t+@$(CLIENT) --leak
            """;

    private final TestNames names = new TestNames();
    private final List<Process> started = new ArrayList<>();
    private Path dir;

    @BeforeEach
    void makeDirectory() throws IOException {
        Path work = Files.createDirectories(Path.of(System.getProperty("namedsem.test.workDir")));
        dir = Files.createTempDirectory(work, "jobserver-");
        Files.writeString(dir.resolve("Makefile"), MAKEFILE);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        names.unlinkAll();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private String semaphore(String hint, int permits) throws Exception {
        String name = names.crashSafe(hint);
        CliIT.Result created = CliIT.run("create", name, "--crash-safe", "--permits", Integer.toString(permits));
        assertThat(created.status()).as(created.err()).isZero();
        return name;
    }

    /** {@code namedsem run --jobserver [options] NAME -- command}, stdout and stderr to files; TMPDIR is ours. */
    private Process build(String tag, List<String> options, String name, String... command) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--jobserver"));
        args.addAll(options);
        args.addAll(List.of(name, "--"));
        args.addAll(List.of(command));
        ProcessBuilder pb = CliIT.namedsem(args.toArray(String[]::new)).directory(dir.toFile())
                .redirectOutput(dir.resolve(tag + ".out").toFile()).redirectError(dir.resolve(tag + ".err").toFile());
        pb.environment().put("TMPDIR", dir.toString());
        pb.environment().remove("MAKEFLAGS"); // the tests may themselves run under a make
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private Process make(String tag, String name, String... makeArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of("make", "-s", "LOG=" + log(tag), "TAG=" + tag));
        command.addAll(List.of(makeArgs));
        return build(tag, List.of(), name, command.toArray(String[]::new));
    }

    private Path log(String tag) {
        return dir.resolve(tag + ".log");
    }

    private void assertSucceeds(Process p, String tag) throws Exception {
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("build %s ended", tag).isTrue();
        assertThat(p.exitValue()).as("build %s: %s", tag, stderr(tag)).isZero();
    }

    private String stderr(String tag) throws IOException {
        Path err = dir.resolve(tag + ".err");
        return Files.exists(err) ? Files.readString(err) : "";
    }

    private record Event(double time, int delta, String job) {}

    private List<Event> events(String... tags) throws IOException {
        Pattern line = Pattern.compile("(start|end) (\\d+\\.\\d+) (\\S+)");
        List<Event> events = new ArrayList<>();
        for (String tag : tags) {
            if (!Files.exists(log(tag))) {
                continue;
            }
            for (String l : Files.readAllLines(log(tag), StandardCharsets.UTF_8)) {
                Matcher m = line.matcher(l);
                assertThat(m.matches()).as("log line '%s'", l).isTrue();
                events.add(new Event(Double.parseDouble(m.group(2)), m.group(1).equals("start") ? 1 : -1, m.group(3)));
            }
        }
        // At equal times an end comes first: the slot was free before the next job took it.
        events.sort(Comparator.comparingDouble(Event::time).thenComparingInt(Event::delta));
        return events;
    }

    /** The most jobs that ran at once in the logs of {@code tags}. */
    private int mostAtOnce(String... tags) throws IOException {
        int running = 0;
        int most = 0;
        for (Event e : events(tags)) {
            running += e.delta();
            most = Math.max(most, running);
        }
        return most;
    }

    private long count(String tag, int delta) throws IOException {
        return events(tag).stream().filter(e -> e.delta() == delta).count();
    }

    private static int available(String name) throws Exception {
        CliIT.Result info = CliIT.run("info", name, "--crash-safe", "--json");
        assertThat(info.status()).as(info.err()).isZero();
        Matcher m = Pattern.compile("\"available\":(\\d+)").matcher(info.out());
        assertThat(m.find()).as(info.out()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private Path client() throws Exception {
        Path binary = dir.resolve("jobclient");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(),
                CliIT.root().resolve("cli/src/test/c/jobclient.c").toString()).inheritIO().start();
        assertThat(gcc.waitFor()).isZero();
        return binary;
    }

    @Test
    void twoMakeBuildsWithoutMinusJRunAtMostThePermitsAtOnce() throws Exception {
        String name = semaphore("jobs", 3);
        Process a = make("a", name);
        Process b = make("b", name);
        assertBothFinishedWithAtMostThreeJobsAtOnce(a, b, name);
    }

    /** Builds a and b end well, all 24 jobs ran, never more than 3 at once, and all 3 permits are back. */
    private void assertBothFinishedWithAtMostThreeJobsAtOnce(Process a, Process b, String name) throws Exception {
        assertSucceeds(a, "a");
        assertSucceeds(b, "b");
        assertThat(count("a", -1) + count("b", -1)).as("jobs that finished").isEqualTo(24);
        assertThat(mostAtOnce("a", "b")).as("jobs at once across both builds").isBetween(2, 3);
        assertThat(available(name)).isEqualTo(3);
    }

    @Test
    void fifoClientsAsMake44RunAtMostThePermitsAtOnce() throws Exception {
        String name = semaphore("fifo", 3);
        Path client = client();
        // Twelve jobs in each build: three one after another on the implicit slot, as make runs
        // jobs, and nine clients at once that each take a token.
        String twelve = "(for i in 1 2 3; do \"$0\" --implicit \"$1\" \"$2i$i\"; done) &"
                + " for i in 1 2 3 4 5 6 7 8 9; do \"$0\" \"$1\" \"$2$i\" & done; wait;"
                + " case $MAKEFLAGS in *--jobserver-auth=fifo:/*) ;; *) echo \"MAKEFLAGS: $MAKEFLAGS\" >&2; exit 9;; esac";
        Process a = build("a", List.of("--jobserver-style", "fifo"), name, "sh", "-c", twelve, client.toString(),
                log("a").toString(), "a");
        Process b = build("b", List.of("--jobserver-style=fifo"), name, "sh", "-c", twelve, client.toString(),
                log("b").toString(), "b");
        assertBothFinishedWithAtMostThreeJobsAtOnce(a, b, name);
    }

    @Test
    void killingOneBuildAndItsWholeTreeGivesItsPermitsBackToTheOther() throws Exception {
        String name = semaphore("kill", 3);
        Process a = make("a", name);
        Process b = make("b", name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count("a", 1) < 2 && a.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(count("a", 1)).as("build a started jobs").isGreaterThanOrEqualTo(2);
        List<ProcessHandle> tree = a.descendants().toList();
        a.destroyForcibly(); // SIGKILL to namedsem's JVM: bin/namedsem exec'd it
        tree.forEach(ProcessHandle::destroyForcibly);
        assertThat(a.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertSucceeds(b, "b");
        assertThat(count("b", -1)).as("build b's recipes that finished").isEqualTo(12);
        assertThat(count("a", -1)).as("build a was killed mid-build").isLessThan(12);
        for (ProcessHandle p : tree) {
            assertThat(p.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        }
        assertThat(available(name)).isEqualTo(3);
    }

    @Test
    void aClientThatDiesHoldingATokenShrinksOnlyItsOwnBuild() throws Exception {
        String name = semaphore("leak", 2);
        Path client = client();
        // a: its first recipe takes a token and dies; then four jobs. b: six jobs, started meanwhile.
        Process a = make("a", name, "FIRST=leak", "CLIENT=" + client, "T=t1 t2 t3 t4");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count("a", 1) < 1 && a.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Process b = make("b", name, "T=t1 t2 t3 t4 t5 t6");
        assertSucceeds(a, "a");
        assertSucceeds(b, "b");
        assertThat(mostAtOnce("a")).as("build a ran on its implicit slot alone after the leak").isEqualTo(1);
        assertThat(count("a", -1)).isEqualTo(4);
        assertThat(stderr("a")).contains("1 jobserver token was never given back");
        assertThat(count("b", -1)).isEqualTo(6);
        assertThat(mostAtOnce("b")).as("build b had both permits once a had ended").isEqualTo(2);
        assertThat(available(name)).isEqualTo(2);
    }

    @Test
    void minusMinusJobsBoundsOneBuildBelowThePermits() throws Exception {
        String name = semaphore("cap", 4);
        Process a = build("a", List.of("--jobs", "2"), name, "make", "-s", "LOG=" + log("a"), "TAG=a",
                "T=t1 t2 t3 t4 t5 t6");
        assertSucceeds(a, "a");
        assertThat(count("a", -1)).isEqualTo(6);
        assertThat(mostAtOnce("a")).isEqualTo(2);
        assertThat(available(name)).isEqualTo(4);
    }

    @Test
    void helpExplainsItAndAnExplicitMinusJIsWarnedAbout() throws Exception {
        CliIT.Result help = CliIT.run("run", "--jobserver", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("serve COMMAND a GNU make jobserver");
        String name = semaphore("own", 1);
        CliIT.Result own = CliIT.run("run", "--jobserver", name, "--", "true", "-j8");
        assertThat(own.status()).as(own.err()).isZero();
        assertThat(own.err()).contains("'-j8' gives true a pool of jobs of its own");
        assertThat(available(name)).isEqualTo(1);
        CliIT.Result missing = CliIT.run("run", "--jobserver", "nscli-missing-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime(), "--", "true");
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).as("the hint creates the kind --jobserver uses").contains("--crash-safe --permits N");
    }
}
