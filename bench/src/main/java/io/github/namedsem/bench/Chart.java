package io.github.namedsem.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The report's PNG: one panel per workload, one horizontal bar per implementation, on a
 * logarithmic axis shared by every panel of the same unit — so 30 ns and 20 µs are both
 * readable and a bar's length means the same in every ns/op panel. Each bar carries JMH's
 * error as an error bar (99.9% confidence) and its figure, "± error" included, as a label.
 * Drawn with Java2D so the benchmark needs no charting dependency.
 */
final class Chart {
    private static final int WIDTH = 1300;
    private static final int BAR = 20;
    private static final int GAP = 6;
    private static final int LABEL = 360; // room for "namedsem, libc fallback (previous implementation)"
    private static final int PLOT = WIDTH - LABEL - 190;
    private static final Map<String, Color> COLORS = new LinkedHashMap<>();

    static {
        COLORS.put("namedsem", new Color(0x1f77b4));
        COLORS.put(Report.PREVIOUS, new Color(0xaec7e8));
        COLORS.put("namedsem, crash-safe", new Color(0x17becf));
        COLORS.put("namedsem run (this checkout)", new Color(0x1f77b4));
        COLORS.put("namedsem run (", new Color(0xaec7e8));
        COLORS.put("flock", new Color(0x2ca02c));
        COLORS.put("glibc's CASes", new Color(0x98df8a));
        COLORS.put("C", new Color(0x2ca02c));
        COLORS.put("bare FFM", new Color(0xff7f0e));
        COLORS.put("bare FFM, critical", new Color(0xffbb78));
        COLORS.put("JNA", new Color(0xd62728));
        COLORS.put("j.u.c.Semaphore", new Color(0x9467bd));
        COLORS.put("Python ctypes", new Color(0x8c564b));
    }

    /**
     * Whole decades around every figure (and error) of one unit: [10^low, 10^high]. A figure of 0
     * (an idle C process) has no place on a log scale: it is drawn at the axis' start, labelled.
     */
    record Axis(int lowDecade, int highDecade) {
        static Axis covering(List<Report.Workload> workloads) {
            double min = Double.MAX_VALUE;
            double max = Double.MIN_VALUE;
            for (Report.Workload w : workloads) {
                for (var e : w.results().entrySet()) {
                    if (e.getValue() <= 0) {
                        continue;
                    }
                    double error = w.errors().getOrDefault(e.getKey(), 0.0);
                    min = Math.min(min, Math.max(e.getValue() - error, e.getValue() / 2));
                    max = Math.max(max, e.getValue() + error);
                }
            }
            if (max == Double.MIN_VALUE) {
                min = 1;
                max = 10;
            }
            int low = (int) Math.floor(Math.log10(min));
            int high = Math.max(low + 1, (int) Math.ceil(Math.log10(max)));
            return new Axis(low, high);
        }

        int x(double value) {
            double clamped = Math.max(value, Math.pow(10, lowDecade));
            return LABEL + (int) Math.round(PLOT * (Math.log10(clamped) - lowDecade) / (highDecade - lowDecade));
        }
    }

    private Chart() {}

    static void write(Path file, String title, List<Report.Workload> workloads) throws IOException {
        Map<String, Axis> axes = new HashMap<>();
        for (Report.Workload w : workloads) {
            axes.computeIfAbsent(w.unit(), u -> Axis.covering(workloads.stream().filter(o -> o.unit().equals(u)).toList()));
        }
        int height = 90;
        for (Report.Workload w : workloads) {
            height += 62 + w.results().size() * (BAR + GAP);
        }
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, 20, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("Logarithmic axes, one per unit. Error bars and ± figures: JMH's 99.9% confidence interval;"
                + " start-up: hyperfine's standard deviation; none: one timed run (C, Python, waiters).", 20, 50);
        int y = 80;
        for (Report.Workload w : workloads) {
            y = panel(g, w, axes.get(w.unit()), y);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static int panel(Graphics2D g, Report.Workload w, Axis axis, int top) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(w.title() + " — " + w.unit() + (w.higherIsBetter() ? ", longer is better" : ", shorter is better"),
                20, top + 16);
        int y = top + 26;
        int bottom = y + w.results().size() * (BAR + GAP);
        gridlines(g, w.unit(), axis, y, bottom);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (var e : w.results().entrySet()) {
            double value = e.getValue();
            Double error = w.errors().get(e.getKey());
            int end = axis.x(value);
            g.setColor(Color.DARK_GRAY);
            g.drawString(e.getKey(), 20, y + BAR - 5);
            g.setColor(color(e.getKey()));
            g.fillRect(LABEL, y, Math.max(2, end - LABEL), BAR);
            g.setColor(Color.BLACK);
            int labelX = end + 8;
            if (error != null && error > 0) {
                int from = axis.x(value - error);
                int to = axis.x(value + error);
                int mid = y + BAR / 2;
                g.setStroke(new BasicStroke(1.5f));
                g.drawLine(from, mid, to, mid);
                g.drawLine(from, mid - 5, from, mid + 5);
                g.drawLine(to, mid - 5, to, mid + 5);
                labelX = Math.max(labelX, to + 8);
            }
            g.drawString(human(value, w.unit()) + (error == null ? "" : " ± " + human(error, w.unit())), labelX, y + BAR - 5);
            y += BAR + GAP;
        }
        return bottom + 36;
    }

    /** The colour of the longest implementation name the label starts with: "C · 100" is C's green. */
    static Color color(String label) {
        String best = null;
        for (String impl : COLORS.keySet()) {
            if (label.startsWith(impl) && (best == null || impl.length() > best.length())) {
                best = impl;
            }
        }
        return best == null ? Color.GRAY : COLORS.get(best);
    }

    /** A line and a label at every decade, under the bars. */
    private static void gridlines(Graphics2D g, String unit, Axis axis, int top, int bottom) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setStroke(new BasicStroke(1));
        for (int d = axis.lowDecade(); d <= axis.highDecade(); d++) {
            int x = axis.x(Math.pow(10, d));
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, top - 2, x, bottom);
            g.setColor(Color.GRAY);
            String label = tick(d, unit);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, bottom + 14);
        }
    }

    /** A figure with its unit scaled to 3 significant digits: "83.0 ns", "17.4 µs", "3.06M/s", "0.25%". */
    static String human(double value, String unit) {
        if (unit.startsWith("%")) {
            return String.format(Locale.ROOT, "%.2f%%", value);
        }
        boolean time = unit.startsWith("ns");
        String[] suffixes = time ? new String[] {" ns", " µs", " ms", " s"} : new String[] {"/s", "k/s", "M/s", "G/s"};
        int step = 0;
        double v = value;
        while (Math.abs(v) >= 1000 && step < suffixes.length - 1) {
            v /= 1000;
            step++;
        }
        String digits = Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, digits, v) + suffixes[step];
    }

    /** "100 ns", "10 µs" for times; "1M", "10k" for rates; "0.1%" for shares of a core. */
    static String tick(int decade, String unit) {
        double v = Math.pow(10, decade);
        if (unit.startsWith("%")) {
            return new java.math.BigDecimal(v).round(java.math.MathContext.DECIMAL32).stripTrailingZeros().toPlainString() + "%";
        }
        if (unit.startsWith("ns")) {
            if (decade >= 6) {
                return String.format(Locale.ROOT, "%.0f ms", v / 1e6);
            }
            return decade >= 3 ? String.format(Locale.ROOT, "%.0f µs", v / 1e3) : String.format(Locale.ROOT, "%.0f ns", v);
        }
        if (decade >= 6) {
            return String.format(Locale.ROOT, "%.0fM", v / 1e6);
        }
        return decade >= 3 ? String.format(Locale.ROOT, "%.0fk", v / 1e3) : String.format(Locale.ROOT, "%.0f", v);
    }
}
