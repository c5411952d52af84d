package io.github.namedsem.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** benchmarks.md from one run's figures: machine, a table per workload, the waiter tables, the targets. */
final class Markdown {
    /** Ratio columns, shown for a workload when its table has the reference row. */
    private static final Map<String, String> REFERENCES = new java.util.LinkedHashMap<>();

    static {
        REFERENCES.put("C", "× C");
        REFERENCES.put("bare FFM", "× bare FFM");
        REFERENCES.put("bare FFM, critical", "× bare FFM, critical");
        REFERENCES.put(Report.PREVIOUS, "× previous");
    }

    private final boolean smoke;
    private final List<Report.Workload> workloads;
    private final Cases wake;
    private final Cases idle;
    private final Targets targets;

    Markdown(boolean smoke, List<Report.Workload> workloads, Cases wake, Cases idle, Targets targets) {
        this.smoke = smoke;
        this.workloads = workloads;
        this.wake = wake;
        this.idle = idle;
        this.targets = targets;
    }

    String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        if (smoke) {
            md.append("> **Smoke run**: one short iteration of everything, to check that it all runs. The figures are "
                    + "not fit for reading; run `bench/run` for the real ones.\n\n");
        }
        md.append("Written by `bench/run` on ").append(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME))
                .append(". Every figure below comes from that one run on one machine; the chart is ")
                .append("[benchmarks.png](benchmarks.png).\n\n");
        machine(md);
        md.append("## Results\n\n");
        md.append("Ratios are the time each takes relative to C, to the bare FFM binding and to the previous "
                + "implementation (`" + Report.PREVIOUS.replace("namedsem, ", "") + "`: this build with `"
                + Report.LIBC_ONLY + "`, which calls the C library's `sem_*` functions as namedsem did before it ran "
                + "glibc's protocol in Java); for throughput, the reference's operations per second divided by this "
                + "one's. 1.00× is as fast, above 1 slower. The ± column is JMH's error for the Java figures; C and "
                + "Python report one timed loop each. On a shared two-core machine, figures that involve waking "
                + "another process or thread vary from run to run by more than the differences between "
                + "implementations; rerun before drawing conclusions from them.\n\n");
        for (Report.Workload w : workloads) {
            table(md, w);
        }
        for (Cases cases : List.of(wake, idle)) {
            md.append("### ").append(cases.title).append("\n\n").append(cases.how).append("\n\n");
            md.append(cases.markdown()).append('\n');
        }
        md.append(targets.markdown());
        return md.toString();
    }

    private void machine(StringBuilder md) {
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
                .append(", average time |\n");
        md.append("| load average at the end | ").append(loadAverage()).append(" |\n\n");
    }

    private static void table(StringBuilder md, Report.Workload w) {
        List<String> refs = REFERENCES.keySet().stream().filter(w.results()::containsKey).toList();
        md.append("### ").append(w.title()).append("\n\n");
        md.append("| implementation | ").append(w.unit()).append(" | ± (JMH, 99.9%) |");
        refs.forEach(r -> md.append(' ').append(REFERENCES.get(r)).append(" |"));
        md.append("\n|---|---:|---:|").append("---:|".repeat(refs.size())).append('\n');
        for (var e : w.results().entrySet()) {
            Double error = w.errors().get(e.getKey());
            md.append("| ").append(e.getKey()).append(" | ").append(format(e.getValue())).append(" | ")
                    .append(error == null ? "" : format(error)).append(" |");
            refs.forEach(r -> md.append(' ').append(ratio(w, e.getKey(), r)).append(" |"));
            md.append('\n');
        }
        md.append('\n');
        if (w.note() != null) {
            md.append(w.note()).append("\n\n");
        }
    }

    static String format(double value) {
        if (value >= 100_000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** How many times the work of {@code reference} this takes: above 1 is slower. */
    static double times(Report.Workload w, String impl, String reference) {
        double value = w.results().get(impl);
        double ref = w.results().get(reference);
        return w.higherIsBetter() ? ref / value : value / ref;
    }

    private static String ratio(Report.Workload w, String impl, String reference) {
        return String.format(Locale.ROOT, "%.2f×", times(w, impl, reference));
    }

    private static String cpu() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    /** Other work on the machine distorts wall-clock figures; the reader should see how much there was. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip().replaceAll("^(\\S+ \\S+ \\S+).*", "$1");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String firstLine(String... command) {
        try {
            return Report.run(List.of(command)).lines().findFirst().orElse("?").strip();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
