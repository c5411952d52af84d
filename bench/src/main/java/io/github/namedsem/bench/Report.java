package io.github.namedsem.bench;

import io.github.namedsem.NamedSemaphore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark and comparator in one go on this machine and writes the report:
 * {@code benchmarks.md} (machine, absolute figures, ratios to C, to bare FFM and to the previous
 * implementation, the targets) and {@code benchmarks.png}. Started by {@code bench/run}, which
 * measures start-up first and passes its output with {@code --startup DIR}; {@code --smoke}
 * makes every measurement one short iteration, for CI.
 */
public final class Report {
    /** One workload's results: implementation to figure, in the order they are shown, JMH's errors, a note. */
    record Workload(String title, String unit, boolean higherIsBetter, Map<String, Double> results,
                    Map<String, Double> errors, String note) {}

    /** A measured figure, with JMH's 99.9% confidence half-width where JMH measured it. */
    record Figure(double value, Double error) {
        static Figure of(double value) {
            return new Figure(value, null);
        }
    }

    /** The same build on the C library's sem_* calls: what the standard kind was before glibc's protocol ran in Java. */
    static final String PREVIOUS = "namedsem, libc fallback (previous implementation)";
    static final String LIBC_ONLY = "-Dnamedsem.internal.libcOnly=true";
    static final int PARKED = 1000;

    private final boolean smoke;
    private final Path out;
    private final Path work;
    private final Path sources;
    private final Path startup;

    private Report(boolean smoke, Path out, Path work, Path sources, Path startup) {
        this.smoke = smoke;
        this.out = out;
        this.work = work;
        this.sources = sources;
        this.startup = startup;
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = List.of(args).contains("--smoke");
        Path out = Path.of(option(args, "--out", "docs"));
        Path work = Path.of(option(args, "--work", "bench/target/bench-work"));
        Path sources = Path.of(option(args, "--sources", "bench/src/main"));
        String startup = option(args, "--startup", null);
        new Report(smoke, out, work, sources, startup == null ? null : Path.of(startup)).run();
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** Waiter counts of the wake-latency and idle workloads; the smoke run keeps them small to stay quick. */
    private String wakeCounts() {
        return smoke ? "1,100" : "1,10,100,1000,10000";
    }

    /** Short windows keep the smoke run quick, so it can afford the target's 1,000 waiters. */
    private static String idleCounts() {
        return "10,100,1000";
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        Files.createDirectories(work);
        String semb = compileC().toString();

        log("JMH: in-JVM benchmarks (namedsem, bare FFM, JNA, java.util.concurrent)");
        Map<String, RunResult> jmh = runJmh(List.of(UncontendedBench.class.getSimpleName(),
                OpenCloseBench.class.getSimpleName(), HandoffBench.class.getSimpleName(),
                PingPongBench.class.getSimpleName()), "");
        log("JMH: the same build on the C library's sem_* calls (" + LIBC_ONLY + ")");
        jmh.putAll(runJmh(List.of("UncontendedBench\\.namedsemTryAcquireRelease$", "OpenCloseBench\\.namedsemOpenClose$"),
                "libc:"));

        log("C, Python and multi-process comparators");
        String name = Names.unique("report");
        String ping = Names.unique("ping");
        String pong = Names.unique("pong");
        String contended = Names.unique("contend");
        String empty = Names.unique("empty");
        Map<String, Double> c = new LinkedHashMap<>();
        Map<String, Double> python = new LinkedHashMap<>();
        String window = n(3_000, 300);
        Cases wake = new Cases("Wake latency: release() to a blocked acquire()'s return, median (90th percentile)",
                "Wake latency by waiters blocked on one semaphore", "ns (median)",
                "Each round releases one permit and times until the waiter that gets it returns from `acquire()`;"
                        + " it then waits again, so the number of blocked threads stays as shown. Platform threads up to "
                        + String.format(java.util.Locale.ROOT, "%,d", Blocking.MAX_PLATFORM) + " (more would crowd the"
                        + " machine's pid_max, " + pidMax() + " here, shared with everything else), virtual threads beyond; C:"
                        + " that many pthreads in `sem_wait`.");
        Cases idle = new Cases("CPU of waiters blocked in acquire() on one semaphore, nothing happening",
                "Idle CPU of waiters blocked on one semaphore", "% of one core",
                "The process's CPU time over a quiet window of " + window + " ms while that many threads wait in"
                        + " `acquire()` on one semaphore with no permits, as a percentage of one core. Each Java case"
                        + " runs in a JVM of its own, so the JVM's own background work counts too; the JVM reads its"
                        + " process CPU time in steps of 10 ms, so the smallest step above 0 is "
                        + String.format(java.util.Locale.ROOT, "%.2f%%", 1000.0 / Long.parseLong(window))
                        + ". C: that many pthreads in `sem_wait`.");
        long warmup = smoke ? 300 : 3000;
        long[] contention;
        try (var _ = NamedSemaphore.create(name, 1);
             var _ = NamedSemaphore.create(ping, 0, 1);
             var _ = NamedSemaphore.create(pong, 0, 1);
             var _ = NamedSemaphore.create(contended, 2);
             var _ = NamedSemaphore.create(empty, 0, 1)) {
            c.put("uncontended", number(semb, "uncontended", "/" + name, n(20_000_000, 200_000)));
            c.put("inlined", number(semb, "inlined", "/" + name, n(20_000_000, 200_000)));
            c.put("blocking", number(semb, "blocking", "/" + name, n(20_000_000, 200_000)));
            c.put("pingpong:none", number(semb, "pingpong", "/" + ping, "/" + pong, n(200_000, 5_000)));
            c.put("pingpong:1cpu", number(semb, "pingpong", "/" + ping, "/" + pong, n(200_000, 5_000), "0", "0"));
            c.put("pingpong:2cpu", number(semb, "pingpong", "/" + ping, "/" + pong, n(200_000, 5_000), "0", "1"));
            c.put("pingpongsliced:1cpu", number(semb, "pingpongsliced", "/" + ping, "/" + pong, n(200_000, 5_000), "0", "0"));
            c.put("openclose:0", number(semb, "openclose", "/" + name, n(200_000, 2_000)));
            c.put("openclose:" + PARKED, number(semb, "openclose", "/" + name, n(200_000, 2_000), Integer.toString(PARKED)));
            c.put("contend", number(semb, "contend", "/" + contended, "8", n(3_000, 300)));
            Path py = sources.resolve("python/semb.py");
            python.put("uncontended", number("python3", py.toString(), "uncontended", "/" + name, n(2_000_000, 20_000)));
            python.put("pingpong", number("python3", py.toString(), "pingpong", "/" + ping, "/" + pong, n(50_000, 1_000)));
            log("8 JVMs contending for 2 permits, after " + warmup + " ms of warm-up together");
            contention = javaContention(contended, 8, warmup, Long.parseLong(n(3_000, 300)));
            log("wake latency at " + wakeCounts() + " waiters");
            String rounds = n(300, 20);
            wake.parse(javaMain(WakeLatency.class, rounds, wakeCounts()));
            for (int waiters : Blocking.counts(wakeCounts())) {
                if (waiters <= Blocking.MAX_PLATFORM) {
                    double[] figures = numbers(semb, "wakelatency", "/" + empty, Integer.toString(waiters), rounds);
                    wake.add("C", "platform", waiters, figures[0], figures[1]);
                }
            }
            log("idle CPU of " + idleCounts() + " blocked waiters");
            idle.parse(javaMain(IdleCpu.class, window, idleCounts()));
            for (int waiters : Blocking.counts(idleCounts())) {
                idle.add("C", "platform", waiters, number(semb, "idle", "/" + empty, Integer.toString(waiters), window), null);
            }
        } finally {
            for (String s : List.of(name, ping, pong, contended, empty)) {
                NamedSemaphore.unlink(s);
            }
        }

        List<Workload> workloads = new ArrayList<>();
        workloads.add(workload("Uncontended tryAcquire() + release()", "ns/op", false, null,
                "namedsem", score(jmh, "UncontendedBench.namedsemTryAcquireRelease"),
                PREVIOUS, score(jmh, "libc:UncontendedBench.namedsemTryAcquireRelease"),
                "namedsem, crash-safe kind (System V)", score(jmh, "UncontendedBench.crashSafeTryAcquireRelease"),
                "bare FFM", score(jmh, "UncontendedBench.ffmTrywaitPost"),
                "bare FFM, critical", score(jmh, "UncontendedBench.ffmCriticalTrywaitPost"),
                "JNA", score(jmh, "UncontendedBench.jnaTrywaitPost"),
                "j.u.c.Semaphore", score(jmh, "UncontendedBench.jucTryAcquireRelease"),
                "C", c.get("uncontended"),
                "glibc's CASes inlined in C", c.get("inlined"),
                "Python ctypes", python.get("uncontended")));
        workloads.add(workload("Uncontended blocking acquire() + release()", "ns/op", false, null,
                "namedsem", score(jmh, "UncontendedBench.namedsemAcquireRelease"),
                "C", c.get("blocking")));
        workloads.add(workload("Hand-off between two threads of one process (round trip)", "ns/op", false, null,
                "namedsem", score(jmh, "HandoffBench.roundTrip:namedsem"),
                "bare FFM", score(jmh, "HandoffBench.roundTrip:ffm"),
                "j.u.c.Semaphore", score(jmh, "HandoffBench.roundTrip:juc")));
        workloads.add(workload(PING_PONG.get("none"), "ns/op", false, null,
                "namedsem", score(jmh, "PingPongBench.roundTrip:namedsem:none"),
                "bare FFM", score(jmh, "PingPongBench.roundTrip:ffm:none"),
                "C", c.get("pingpong:none"),
                "Python ctypes", python.get("pingpong")));
        workloads.add(workload(PING_PONG.get("1cpu"), "ns/op", false, null,
                "namedsem", score(jmh, "PingPongBench.roundTrip:namedsem:1cpu"),
                "bare FFM", score(jmh, "PingPongBench.roundTrip:ffm:1cpu"),
                "C", c.get("pingpong:1cpu"),
                C_SLICED, c.get("pingpongsliced:1cpu")));
        workloads.add(workload(PING_PONG.get("2cpu"), "ns/op", false, null,
                "namedsem", score(jmh, "PingPongBench.roundTrip:namedsem:2cpu"),
                "bare FFM", score(jmh, "PingPongBench.roundTrip:ffm:2cpu"),
                "C", c.get("pingpong:2cpu")));
        workloads.add(workload("8 processes contending for 2 permits", "acquire+release per second", true,
                String.format(java.util.Locale.ROOT, "Each Java process first ran the same loop under the same contention for"
                        + " at least %,d ms and until the JIT had been idle for 250 ms, then all started the timed %s ms together; the JIT's time inside the timed window was at"
                        + " most %d ms in any process (0 means the measured loop was compiled before it).",
                        warmup, n(3_000, 300), contention[1]),
                "namedsem", (double) contention[0],
                "C", c.get("contend")));
        for (int parked : new int[] {0, PARKED}) {
            workloads.add(workload(OPEN_CLOSE.get(parked), "ns/op", false, null,
                    "namedsem", score(jmh, "OpenCloseBench.namedsemOpenClose:" + parked),
                    PREVIOUS, score(jmh, "libc:OpenCloseBench.namedsemOpenClose:" + parked),
                    "bare FFM", score(jmh, "OpenCloseBench.ffmOpenClose:" + parked),
                    "JNA", score(jmh, "OpenCloseBench.jnaOpenClose:" + parked),
                    "C", c.get("openclose:" + parked)));
        }

        Map<String, Double> allocation = new LinkedHashMap<>();
        allocation.put("tryAcquire() + release()", allocation(jmh, "UncontendedBench.namedsemTryAcquireRelease"));
        allocation.put("acquire() + release()", allocation(jmh, "UncontendedBench.namedsemAcquireRelease"));
        allocation.put("crash-safe tryAcquire() + release()", allocation(jmh, "UncontendedBench.crashSafeTryAcquireRelease"));
        Map<String, Double> openCloseBytes = Map.of(
                "namedsem", allocation(jmh, "OpenCloseBench.namedsemOpenClose:0"),
                PREVIOUS, allocation(jmh, "libc:OpenCloseBench.namedsemOpenClose:0"));
        Startup start = Startup.read(startup);
        Markdown md = new Markdown(smoke, workloads, wake, idle, new Targets(workloads, idle, allocation, openCloseBytes));
        String markdown = md.render() + "\n" + start.section();
        Files.writeString(out.resolve("benchmarks.md"), markdown);
        List<Workload> panels = new ArrayList<>(workloads);
        panels.addAll(wake.panels());
        panels.addAll(idle.panels());
        if (start.panel() != null) {
            panels.add(start.panel());
        }
        Chart.write(out.resolve("benchmarks.png"), "namedsem benchmarks" + (smoke ? " (smoke run, not for reading)" : ""),
                panels);
        log("wrote " + out.resolve("benchmarks.md") + " and " + out.resolve("benchmarks.png"));
        System.out.println(markdown);
    }

    /** C waiting as namedsem must, in timed slices, so that an interrupt or close() is noticed. */
    static final String C_SLICED = "C, waiting in 20 ms slices as namedsem does";

    static final Map<String, String> PING_PONG = Map.of(
            "none", "Ping-pong between two processes (round trip), not pinned",
            "1cpu", "Ping-pong between two processes (round trip), both on one core (taskset -c 0)",
            "2cpu", "Ping-pong between two processes (round trip), one core each (taskset -c 0 and -c 1)");
    static final Map<Integer, String> OPEN_CLOSE = Map.of(
            0, "open() + close() of an existing semaphore",
            PARKED, "open() + close() of an existing semaphore, 1,000 parked platform threads in the process");

    private String n(long full, long smokeValue) {
        return Long.toString(smoke ? smokeValue : full);
    }

    /** Runs the benchmarks matching {@code includes}; results keyed "Class.method[:param...]", with {@code prefix}. */
    private Map<String, RunResult> runJmh(List<String> includes, String prefix) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .forks(1)
                .jvmArgsAppend(prefix.isEmpty() ? new String[] {"--enable-native-access=ALL-UNNAMED"}
                        : new String[] {"--enable-native-access=ALL-UNNAMED", LIBC_ONLY})
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true);
        includes.forEach(options::include);
        if (smoke) {
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(200));
        } else {
            options.warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, RunResult> byLabel = new LinkedHashMap<>();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            StringBuilder label = new StringBuilder(prefix)
                    .append(benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1));
            // Parameters in JMH's order, by name: impl before pin in PingPongBench.
            for (String key : r.getParams().getParamsKeys()) {
                label.append(':').append(r.getParams().getParam(key));
            }
            byLabel.put(label.toString(), r);
        }
        return byLabel;
    }

    private static Figure score(Map<String, RunResult> jmh, String label) {
        RunResult r = jmh.get(label);
        if (r == null) {
            throw new IllegalStateException("no JMH result for " + label + "; have " + jmh.keySet());
        }
        double error = r.getPrimaryResult().getScoreError();
        return new Figure(r.getPrimaryResult().getScore(), Double.isNaN(error) ? null : error);
    }

    private static double allocation(Map<String, RunResult> jmh, String label) {
        for (Map.Entry<String, Result> e : jmh.get(label).getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                return e.getValue().getScore();
            }
        }
        throw new IllegalStateException("no gc.alloc.rate.norm for " + label);
    }

    private static Workload workload(String title, String unit, boolean higherIsBetter, String note, Object... pairs) {
        Map<String, Double> results = new LinkedHashMap<>();
        Map<String, Double> errors = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Figure figure = pairs[i + 1] instanceof Figure f ? f : Figure.of((Double) pairs[i + 1]);
            results.put((String) pairs[i], figure.value());
            if (figure.error() != null) {
                errors.put((String) pairs[i], figure.error());
            }
        }
        return new Workload(title, unit, higherIsBetter, results, errors, note);
    }

    private Path compileC() throws IOException, InterruptedException {
        Path binary = work.resolve("semb");
        run(List.of("gcc", "-O2", "-o", binary.toString(), sources.resolve("c/semb.c").toString(), "-lpthread"));
        return binary;
    }

    private static double number(String... command) throws IOException, InterruptedException {
        return numbers(command)[0];
    }

    /** The numbers on the last line a comparator printed. */
    private static double[] numbers(String... command) throws IOException, InterruptedException {
        String output = run(List.of(command)).strip();
        String[] fields = output.substring(output.lastIndexOf('\n') + 1).split(" ");
        double[] numbers = new double[fields.length];
        for (int i = 0; i < fields.length; i++) {
            numbers[i] = Double.parseDouble(fields[i]);
        }
        return numbers;
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + output);
        }
        return output;
    }

    /** A workload's main class in a JVM of its own, so its threads and CPU are its alone; returns what it printed. */
    private static String javaMain(Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(javaCommand(main));
        command.addAll(List.of(args));
        return run(command);
    }

    private static List<String> javaCommand(Class<?> main) {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), main.getName());
    }

    /**
     * {@code processes} JVMs looping acquire + release on one semaphore: all warm up together, then
     * all run the timed loop together. Returns operations per second over all of them and the
     * longest JIT time any of them spent inside the timed window.
     */
    private static long[] javaContention(String name, int processes, long warmupMillis, long millis) throws Exception {
        List<Process> all = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                List<String> command = new ArrayList<>(javaCommand(ContendLoop.class));
                command.addAll(List.of(name, Long.toString(warmupMillis), Long.toString(millis)));
                Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                all.add(p);
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (String phase : List.of("ready", "warm")) {
                for (BufferedReader r : outputs) {
                    String line = r.readLine();
                    if (!phase.equals(line)) {
                        throw new IllegalStateException("contention process did not get " + phase + ": " + line);
                    }
                }
                for (Process p : all) { // a barrier: the next phase starts in all processes together
                    Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                    w.write("go\n");
                    w.flush();
                }
            }
            long total = 0;
            long jit = 0;
            for (BufferedReader r : outputs) {
                String[] counts = r.readLine().strip().split(" ");
                total += Long.parseLong(counts[0]);
                jit = Math.max(jit, Long.parseLong(counts[1]));
            }
            return new long[] {Math.round(total / (millis / 1000.0)), jit};
        } finally {
            all.forEach(Process::destroyForcibly);
        }
    }

    private static String pidMax() throws IOException {
        // No digit grouping: the note is a cell of a table whose cells are split at commas.
        return Long.toString(Long.parseLong(Files.readString(Path.of("/proc/sys/kernel/pid_max")).strip()));
    }

    static void log(String message) {
        System.err.println("[bench] " + message);
    }
}
