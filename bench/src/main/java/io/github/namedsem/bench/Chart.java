package io.github.namedsem.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The report's PNG: one panel per workload, one horizontal bar per implementation, lengths
 * relative to the slowest in the panel, with the figure written beside each bar. Drawn with
 * Java2D so the benchmark needs no charting dependency.
 */
final class Chart {
    private static final int WIDTH = 1000;
    private static final int BAR = 22;
    private static final int GAP = 6;
    private static final int LABEL = 230;
    private static final Map<String, Color> COLORS = new LinkedHashMap<>();

    static {
        COLORS.put("namedsem", new Color(0x1f77b4));
        COLORS.put("C", new Color(0x2ca02c));
        COLORS.put("bare FFM", new Color(0xff7f0e));
        COLORS.put("bare FFM, critical", new Color(0xffbb78));
        COLORS.put("JNA", new Color(0xd62728));
        COLORS.put("j.u.c.Semaphore", new Color(0x9467bd));
        COLORS.put("Python ctypes", new Color(0x8c564b));
    }

    private Chart() {}

    static void write(Path file, String title, List<Report.Workload> workloads) throws IOException {
        int height = 60;
        for (Report.Workload w : workloads) {
            height += 40 + w.results().size() * (BAR + GAP);
        }
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, 20, 32);
        int y = 60;
        for (Report.Workload w : workloads) {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(w.title() + " (" + w.unit() + (w.higherIsBetter() ? ", longer is better)" : ", shorter is better)"), 20, y + 18);
            y += 30;
            double max = w.results().values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            for (var e : w.results().entrySet()) {
                int length = (int) Math.max(2, (WIDTH - LABEL - 150) * e.getValue() / max);
                g.setColor(Color.DARK_GRAY);
                g.drawString(e.getKey(), 20, y + BAR - 6);
                g.setColor(COLORS.getOrDefault(e.getKey(), Color.GRAY));
                g.fillRect(LABEL, y, length, BAR);
                g.setColor(Color.BLACK);
                g.drawString(Report.format(e.getValue()), LABEL + length + 8, y + BAR - 6);
                y += BAR + GAP;
            }
            g.setColor(Color.LIGHT_GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawLine(20, y + 4, WIDTH - 20, y + 4);
            y += 10;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
