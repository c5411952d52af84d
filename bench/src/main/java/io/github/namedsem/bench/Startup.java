package io.github.namedsem.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The start-up figures {@code bench/startup --out DIR} left for this run: DIR/startup.md, the
 * report's "Start-up" section as it printed it, and DIR/startup.tsv, hyperfine's figures per
 * command (name, then mean, standard deviation, minimum, user and system CPU, in seconds), which
 * become the chart's start-up panel. {@code bench/run} writes a section saying why when it could
 * not measure start-up.
 */
record Startup(String section, Report.Workload panel) {
    static final String UNIT = "ns per invocation";

    static Startup read(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir.resolve("startup.md"))) {
            return new Startup("## Start-up\n\nNot measured in this run: `bench/run` measures it with `bench/startup`"
                    + " (this run was started without its output).\n", null);
        }
        String section = Files.readString(dir.resolve("startup.md")).stripTrailing() + "\n";
        Path tsv = dir.resolve("startup.tsv");
        return new Startup(section, Files.exists(tsv) ? panel(Files.readAllLines(tsv)) : null);
    }

    /** Mean (error bar: standard deviation), minimum and CPU time of every command, in ns. */
    static Report.Workload panel(List<String> lines) {
        Map<String, Double> results = new LinkedHashMap<>();
        Map<String, Double> errors = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            double[] s = new double[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                s[i - 1] = Double.parseDouble(f[i]) * 1e9;
            }
            results.put(f[0] + ": mean", s[0]);
            errors.put(f[0] + ": mean", s[1]);
            results.put(f[0] + ": min", s[2]);
            results.put(f[0] + ": CPU", s[3] + s[4]);
        }
        return new Report.Workload("Start-up of one command (hyperfine; error bar: standard deviation; CPU = user + sys)",
                UNIT, false, results, errors, null);
    }
}
