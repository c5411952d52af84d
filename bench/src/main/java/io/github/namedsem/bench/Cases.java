package io.github.namedsem.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A workload measured at several numbers of waiting threads, for several implementations and
 * thread kinds ({@link WakeLatency}, {@link IdleCpu}, their C counterparts): a table with one
 * row per number of waiters and one column per implementation and kind, and a chart panel per
 * thread kind.
 */
final class Cases {
    /** One measured case; {@code p90} only where a distribution was measured. */
    record Case(String impl, String kind, int waiters, double value, Double p90) {}

    final String title;
    private final String chartTitle;
    final String unit;
    /** How the figures were measured, in the report above the table. */
    final String how;
    final List<Case> all = new ArrayList<>();

    Cases(String title, String chartTitle, String unit, String how) {
        this.title = title;
        this.chartTitle = chartTitle;
        this.unit = unit;
        this.how = how;
    }

    /** Adds the lines "IMPL KIND WAITERS VALUE [P90]" a waiter workload printed. */
    void parse(String output) {
        for (String line : output.strip().split("\n")) {
            String[] f = line.strip().split(" ");
            add(f[0], f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]), f.length > 4 ? Double.valueOf(f[4]) : null);
        }
    }

    void add(String impl, String kind, int waiters, double value, Double p90) {
        all.add(new Case(display(impl), kind, waiters, value, p90));
    }

    Double value(String impl, String kind, int waiters) {
        return all.stream().filter(c -> c.impl().equals(display(impl)) && c.kind().equals(kind) && c.waiters() == waiters)
                .map(Case::value).findFirst().orElse(null);
    }

    private static String display(String impl) {
        return impl.equals("juc") ? "j.u.c.Semaphore" : impl;
    }

    /** The markdown table: waiters down, implementation and kind across; "median (p90)" where there is one. */
    String markdown() {
        Set<String> columns = new LinkedHashSet<>();
        Set<Integer> rows = new java.util.TreeSet<>();
        Map<String, Case> cells = new LinkedHashMap<>();
        for (Case c : all) {
            String column = c.impl() + ", " + c.kind() + " threads";
            columns.add(column);
            rows.add(c.waiters());
            cells.put(column + "/" + c.waiters(), c);
        }
        StringBuilder md = new StringBuilder("| waiters |");
        columns.forEach(col -> md.append(' ').append(col).append(" |"));
        md.append("\n|---:|").append("---:|".repeat(columns.size())).append('\n');
        for (int n : rows) {
            md.append("| ").append(String.format(Locale.ROOT, "%,d", n)).append(" |");
            for (String col : columns) {
                Case c = cells.get(col + "/" + n);
                md.append(' ').append(c == null ? "–" : Chart.human(c.value(), unit)
                        + (c.p90() == null ? "" : " (" + Chart.human(c.p90(), unit) + ")")).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** One chart panel per thread kind, a bar per implementation and number of waiters. */
    List<Report.Workload> panels() {
        Map<String, Map<String, Double>> byKind = new LinkedHashMap<>();
        for (Case c : all) {
            byKind.computeIfAbsent(c.kind(), k -> new LinkedHashMap<>())
                    .put(c.impl() + " · " + String.format(Locale.ROOT, "%,d", c.waiters()), c.value());
        }
        List<Report.Workload> panels = new ArrayList<>();
        byKind.forEach((kind, results) -> panels.add(
                new Report.Workload(chartTitle + ", " + kind + " threads", unit, false, results, Map.of(), null)));
        return panels;
    }
}
