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
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * {@code benchmarks.md} (machine, absolute figures, ratios to C and to bare FFM, the targets)
 * and {@code benchmarks.png}. Started by {@code bench/run}; {@code --smoke} makes every
 * measurement one short iteration, for CI.
 */
public final class Report {
    /** One workload's results: implementation to figure, in the order they are shown, and JMH's errors. */
    record Workload(String title, String unit, boolean higherIsBetter, Map<String, Double> results,
                    Map<String, Double> errors) {}

    /** A measured figure, with JMH's 99.9% confidence half-width where JMH measured it. */
    record Figure(double value, Double error) {
        static Figure of(double value) {
            return new Figure(value, null);
        }
    }

    private final boolean smoke;
    private final Path out;
    private final Path work;
    private final Path sources;

    private Report(boolean smoke, Path out, Path work, Path sources) {
        this.smoke = smoke;
        this.out = out;
        this.work = work;
        this.sources = sources;
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = List.of(args).contains("--smoke");
        Path out = Path.of(option(args, "--out", "docs"));
        Path work = Path.of(option(args, "--work", "bench/target/bench-work"));
        Path sources = Path.of(option(args, "--sources", "bench/src/main"));
        new Report(smoke, out, work, sources).run();
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        Files.createDirectories(work);
        Path semb = compileC();

        log("JMH: in-JVM benchmarks (namedsem, bare FFM, JNA, java.util.concurrent)");
        Map<String, RunResult> jmh = runJmh();

        log("C, Python and multi-process comparators");
        String name = Names.unique("report");
        String ping = Names.unique("ping");
        String pong = Names.unique("pong");
        String contended = Names.unique("contend");
        Map<String, Double> c = new LinkedHashMap<>();
        Map<String, Double> python = new LinkedHashMap<>();
        double namedsemContention;
        try (var _ = NamedSemaphore.create(name, 1);
             var _ = NamedSemaphore.create(ping, 0, 1);
             var _ = NamedSemaphore.create(pong, 0, 1);
             var _ = NamedSemaphore.create(contended, 2)) {
            c.put("uncontended", number(semb.toString(), "uncontended", "/" + name, n(20_000_000, 200_000)));
            c.put("inlined", number(semb.toString(), "inlined", "/" + name, n(20_000_000, 200_000)));
            c.put("blocking", number(semb.toString(), "blocking", "/" + name, n(20_000_000, 200_000)));
            c.put("pingpong", number(semb.toString(), "pingpong", "/" + ping, "/" + pong, n(200_000, 5_000)));
            c.put("openclose", number(semb.toString(), "openclose", "/" + name, n(200_000, 2_000)));
            c.put("contend", number(semb.toString(), "contend", "/" + contended, "8", n(3_000, 300)));
            Path py = sources.resolve("python/semb.py");
            python.put("uncontended", number("python3", py.toString(), "uncontended", "/" + name, n(2_000_000, 20_000)));
            python.put("pingpong", number("python3", py.toString(), "pingpong", "/" + ping, "/" + pong, n(50_000, 1_000)));
            namedsemContention = javaContention(contended, 8, Long.parseLong(n(3_000, 300)));
        } finally {
            for (String s : List.of(name, ping, pong, contended)) {
                NamedSemaphore.unlink(s);
            }
        }

        List<Workload> workloads = new ArrayList<>();
        workloads.add(workload("Uncontended tryAcquire() + release()", "ns/op", false,
                "namedsem", score(jmh, "UncontendedBench.namedsemTryAcquireRelease"),
                "bare FFM", score(jmh, "UncontendedBench.ffmTrywaitPost"),
                "bare FFM, critical", score(jmh, "UncontendedBench.ffmCriticalTrywaitPost"),
                "JNA", score(jmh, "UncontendedBench.jnaTrywaitPost"),
                "j.u.c.Semaphore", score(jmh, "UncontendedBench.jucTryAcquireRelease"),
                "C", c.get("uncontended"),
                "glibc's CASes inlined in C", c.get("inlined"),
                "Python ctypes", python.get("uncontended")));
        workloads.add(workload("Uncontended blocking acquire() + release()", "ns/op", false,
                "namedsem", score(jmh, "UncontendedBench.namedsemAcquireRelease"),
                "C", c.get("blocking")));
        workloads.add(workload("Hand-off between two threads of one process (round trip)", "ns/op", false,
                "namedsem", score(jmh, "HandoffBench.roundTrip:namedsem"),
                "bare FFM", score(jmh, "HandoffBench.roundTrip:ffm"),
                "j.u.c.Semaphore", score(jmh, "HandoffBench.roundTrip:juc")));
        workloads.add(workload("Ping-pong between two processes (round trip)", "ns/op", false,
                "namedsem", score(jmh, "PingPongBench.roundTrip:namedsem"),
                "bare FFM", score(jmh, "PingPongBench.roundTrip:ffm"),
                "C", c.get("pingpong"),
                "Python ctypes", python.get("pingpong")));
        workloads.add(workload("8 processes contending for 2 permits", "acquire+release per second", true,
                "namedsem", namedsemContention,
                "C", c.get("contend")));
        workloads.add(workload("open() + close() of an existing semaphore", "ns/op", false,
                "namedsem", score(jmh, "OpenCloseBench.namedsemOpenClose"),
                "bare FFM", score(jmh, "OpenCloseBench.ffmOpenClose"),
                "JNA", score(jmh, "OpenCloseBench.jnaOpenClose"),
                "C", c.get("openclose")));

        double allocation = allocation(jmh, "UncontendedBench.namedsemTryAcquireRelease");
        double allocationBlocking = allocation(jmh, "UncontendedBench.namedsemAcquireRelease");
        String markdown = markdown(workloads, allocation, allocationBlocking);
        Files.writeString(out.resolve("benchmarks.md"), markdown + startupSection(out.resolve("benchmarks.md")));
        Chart.write(out.resolve("benchmarks.png"), "namedsem benchmarks" + (smoke ? " (smoke run, not for reading)" : ""),
                workloads);
        log("wrote " + out.resolve("benchmarks.md") + " and " + out.resolve("benchmarks.png"));
        System.out.println(markdown);
    }

    private String n(long full, long smokeValue) {
        return Long.toString(smoke ? smokeValue : full);
    }

    private Map<String, RunResult> runJmh() throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(UncontendedBench.class.getSimpleName())
                .include(OpenCloseBench.class.getSimpleName())
                .include(HandoffBench.class.getSimpleName())
                .include(PingPongBench.class.getSimpleName())
                .forks(1)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED")
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true);
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
            String label = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            String impl = r.getParams().getParam("impl");
            byLabel.put(impl == null ? label : label + ":" + impl, r);
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

    private static Workload workload(String title, String unit, boolean higherIsBetter, Object... pairs) {
        Map<String, Double> results = new LinkedHashMap<>();
        Map<String, Double> errors = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Figure figure = pairs[i + 1] instanceof Figure f ? f : Figure.of((Double) pairs[i + 1]);
            results.put((String) pairs[i], figure.value());
            if (figure.error() != null) {
                errors.put((String) pairs[i], figure.error());
            }
        }
        return new Workload(title, unit, higherIsBetter, results, errors);
    }

    private Path compileC() throws IOException, InterruptedException {
        Path binary = work.resolve("semb");
        run(List.of("gcc", "-O2", "-o", binary.toString(), sources.resolve("c/semb.c").toString(), "-lpthread"));
        return binary;
    }

    private static double number(String... command) throws IOException, InterruptedException {
        String output = run(List.of(command)).strip();
        return Double.parseDouble(output.substring(output.lastIndexOf('\n') + 1));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + output);
        }
        return output;
    }

    /** 8 JVMs looping acquire + release on one semaphore, started together. */
    private double javaContention(String name, int processes, long millis) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> all = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path"), ContendLoop.class.getName(), name, Long.toString(millis))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                all.add(p);
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader r : outputs) {
                String ready = r.readLine();
                if (!"ready".equals(ready)) {
                    throw new IllegalStateException("contention process did not start: " + ready);
                }
            }
            for (Process p : all) {
                Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                w.write("go\n");
                w.flush();
            }
            long total = 0;
            for (BufferedReader r : outputs) {
                total += Long.parseLong(r.readLine().strip());
            }
            return total / (millis / 1000.0);
        } finally {
            all.forEach(Process::destroyForcibly);
        }
    }

    // ---------------------------------------------------------------- the report

    static String format(double value) {
        if (value >= 100_000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** How many times the work of {@code reference} this takes: above 1 is slower. */
    private static String ratio(Workload w, String impl, String reference) {
        Double value = w.results().get(impl);
        Double ref = w.results().get(reference);
        if (value == null || ref == null) {
            return "";
        }
        double r = w.higherIsBetter() ? ref / value : value / ref;
        return String.format(Locale.ROOT, "%.2f×", r);
    }

    private String markdown(List<Workload> workloads, double allocation, double allocationBlocking) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        if (smoke) {
            md.append("> **Smoke run**: one short iteration of everything, to check that it all runs. The figures are "
                    + "not fit for reading; run `bench/run` for the real ones.\n\n");
        }
        md.append("Written by `bench/run` on ").append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME))
                .append(". Every figure below comes from that one run on one machine; the chart is ")
                .append("[benchmarks.png](benchmarks.png).\n\n");
        md.append("## Machine\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| CPU | ").append(cpu()).append(" (").append(Runtime.getRuntime().availableProcessors())
                .append(" available to the JVM) |\n");
        md.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append(" |\n");
        md.append("| JDK | ").append(System.getProperty("java.vm.name")).append(' ').append(Runtime.version()).append(" |\n");
        md.append("| C library | ").append(firstLine("ldd", "--version")).append(" |\n");
        md.append("| C compiler | ").append(firstLine("gcc", "--version")).append(", `-O2` |\n");
        md.append("| Python | ").append(firstLine("python3", "--version")).append(" |\n");
        md.append("| JMH | 1.37, 1 fork, ").append(smoke ? "1×100 ms warm-up, 1×200 ms measurement" : "3×1 s warm-up, 5×1 s measurement")
                .append(", average time |\n\n");

        md.append("## Results\n\n");
        md.append("Ratios are the time each takes relative to C and to the bare FFM binding (for throughput: the "
                + "reference's operations per second divided by this one's), so 1.00× is as fast, above 1 slower. "
                + "The ± column is JMH's error for the Java figures; C and Python report one timed loop each. "
                + "On a shared two-core machine, figures that involve waking another process or thread vary "
                + "from run to run by more than the differences between implementations; rerun before drawing "
                + "conclusions from them.\n\n");
        for (Workload w : workloads) {
            md.append("### ").append(w.title()).append("\n\n");
            md.append("| implementation | ").append(w.unit()).append(" | ± (JMH, 99.9%) | × C | × bare FFM |\n|---|---:|---:|---:|---:|\n");
            for (var e : w.results().entrySet()) {
                Double error = w.errors().get(e.getKey());
                md.append("| ").append(e.getKey()).append(" | ").append(format(e.getValue())).append(" | ")
                        .append(error == null ? "" : format(error)).append(" | ")
                        .append(ratio(w, e.getKey(), "C")).append(" | ").append(ratio(w, e.getKey(), "bare FFM"))
                        .append(" |\n");
            }
            md.append('\n');
        }

        Workload uncontended = workloads.get(0);
        Workload pingpong = workloads.get(3);
        double vsFfm = uncontended.results().get("namedsem") / uncontended.results().get("bare FFM, critical");
        double jnaFactor = uncontended.results().get("JNA") / uncontended.results().get("namedsem");
        double vsC = pingpong.results().get("namedsem") / pingpong.results().get("C");
        md.append("## Targets\n\n| target | measured | |\n|---|---|---|\n");
        double uncontendedVsC = uncontended.results().get("namedsem") / uncontended.results().get("C");
        md.append(target("uncontended path at most 1.0× the bare FFM binding with the same linker options (critical)",
                String.format(Locale.ROOT, "%.2f×", vsFfm), vsFfm <= 1.0));
        md.append(target("uncontended path at most 1.3× C", String.format(Locale.ROOT, "%.2f×", uncontendedVsC),
                uncontendedVsC <= 1.3));
        md.append(target("at least 15× faster than JNA", String.format(Locale.ROOT, "%.1f×", jnaFactor), jnaFactor >= 15));
        md.append(target("cross-process ping-pong within 1.1× of C", String.format(Locale.ROOT, "%.2f×", vsC), vsC <= 1.1));
        md.append(target("0 bytes allocated per uncontended tryAcquire() + release()",
                String.format(Locale.ROOT, "%.3f B/op (blocking acquire(): %.3f B/op)", allocation, allocationBlocking),
                allocation < 0.5));
        md.append('\n');
        md.append(gapNotes(uncontended, vsFfm, jnaFactor, vsC));
        return md.toString();
    }

    /** Why a missed target is missed, and what would close the gap; written only for those missed. */
    private static String gapNotes(Workload uncontended, double vsFfm, double jnaFactor, double vsC) {
        StringBuilder notes = new StringBuilder();
        double namedsem = uncontended.results().get("namedsem");
        double critical = uncontended.results().get("bare FFM, critical");
        if (vsFfm > 1.25 || jnaFactor < 10) {
            notes.append("## Why the uncontended targets are missed, and what would close the gap\n\n");
            notes.append(String.format(Locale.ROOT, "namedsem takes %.1f ns where the bare critical binding takes %.1f ns."
                    + " Both make the same two critical downcalls (`sem_trywait`, `sem_post`); the difference, about"
                    + " %.0f ns, is close safety. Each call enters and leaves a guard, one atomic add each way, so that"
                    + " `close()` on another thread can never unmap the `sem_t` under a call in flight (the bare binding"
                    + " would crash the JVM there). That is four atomic read-modify-writes per acquire-release pair;"
                    + " the count that `release()` checks against the maximum and returns is a plain load on glibc and"
                    + " costs next to nothing.%n%n", namedsem, critical, namedsem - critical));
            notes.append("What would close it: a guard without read-modify-writes on the hot path. The safe ways to"
                    + " build one need an asymmetric fence (Linux `membarrier`, or the thread-local handshakes the JDK"
                    + " uses internally for shared arenas), and neither is expressible in Java code today: a Java-level"
                    + " store-load ordering needs a full fence, which costs as much as the atomic add it would replace."
                    + " The alternative, an unguarded handle that relies on callers never closing it while in use,"
                    + " trades a crash for speed and is not offered.\n\n");
            if (jnaFactor < 10) {
                double needed = uncontended.results().get("JNA") / 10;
                notes.append(String.format(Locale.ROOT, "The JNA target follows from the same floor: JNA's direct mapping"
                        + " takes %.0f ns here, so 10× faster would mean %.0f ns, which leaves %.0f ns above the bare"
                        + " critical binding for close safety, where the guard takes about %.0f. namedsem is %.1f×"
                        + " faster than JNA.%n%n", uncontended.results().get("JNA"), needed, needed - critical,
                        namedsem - critical, jnaFactor));
            }
        }
        if (vsC > 1.1) {
            notes.append(String.format(Locale.ROOT, "## Ping-pong%n%nnamedsem's round trip is %.2f× C's here. The wake-up"
                    + " is the kernel's either way; namedsem adds a `clock_gettime` and a guarded `sem_clockwait` per wait,"
                    + " and each side is a JVM. Variation between runs on a shared 2-core machine is of the same order;"
                    + " rerun on an idle machine before drawing conclusions.%n%n", vsC));
        }
        return notes.toString();
    }

    private static String target(String what, String measured, boolean met) {
        return "| " + what + " | " + measured + " | " + (met ? "met" : "**missed**") + " |\n";
    }

    private static String cpu() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    private static String firstLine(String... command) {
        try {
            String output = run(List.of(command));
            return output.lines().findFirst().orElse("?").strip();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void log(String message) {
        System.err.println("[bench] " + message);
    }

    /**
     * The "Start-up" section of the existing report, which {@code bench/startup} writes from a
     * hyperfine run of the command line: kept as it is, since this run does not measure it.
     */
    static String startupSection(Path report) throws IOException {
        if (!Files.exists(report)) {
            return "";
        }
        String old = Files.readString(report);
        int start = old.indexOf("\n## Start-up\n");
        if (start < 0) {
            return "";
        }
        int end = old.indexOf("\n## ", start + 1);
        return old.substring(start, end < 0 ? old.length() : end + 1).stripTrailing() + "\n";
    }
}
