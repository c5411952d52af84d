package io.github.namedsem.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart's scale, labels and error bars, on figures made up for the purpose. */
class ChartTest {
    @Test
    void figuresAreLabelledWithTheirUnitScaled() {
        assertThat(Chart.human(83.04, "ns/op")).isEqualTo("83.0 ns");
        assertThat(Chart.human(17371, "ns/op")).isEqualTo("17.4 µs");
        assertThat(Chart.human(3_060_748, "acquire+release per second")).isEqualTo("3.06M/s");
        assertThat(Chart.tick(4, "ns/op")).isEqualTo("10 µs");
        assertThat(Chart.tick(6, "acquire+release per second")).isEqualTo("1M");
    }

    @Test
    void panelsOfOneUnitShareOneLogarithmicAxis() {
        var fast = workload("fast", Map.of("a", 30.0), Map.of());
        var slow = workload("slow", Map.of("a", 20_000.0), Map.of());
        Chart.Axis axis = Chart.Axis.covering(List.of(fast, slow));
        assertThat(axis).isEqualTo(new Chart.Axis(1, 5)); // 10 ns .. 100 µs
        // Each decade is the same length: 100 ns to 1 µs as long as 1 µs to 10 µs.
        assertThat(axis.x(1000) - axis.x(100)).isCloseTo(axis.x(10_000) - axis.x(1000), within(1));
    }

    @Test
    void anErrorBarSpansTheFigurePlusAndMinusJmhsError(@TempDir Path dir) throws Exception {
        var w = workload("one", Map.of("namedsem", 1000.0), Map.of("namedsem", 500.0));
        Path png = dir.resolve("chart.png");
        Chart.write(png, "test", List.of(w));
        BufferedImage image = ImageIO.read(png.toFile());
        Chart.Axis axis = Chart.Axis.covering(List.of(w));
        int barMiddle = 80 + 26 + 10;
        int rightCap = axis.x(1500);
        // The cap is drawn in black across the bar's middle, beyond the bar's end.
        assertThat(rightCap).isGreaterThan(axis.x(1000));
        assertThat(darkAt(image, rightCap, barMiddle)).isTrue();
        assertThat(darkAt(image, (axis.x(1000) + rightCap) / 2, barMiddle)).isTrue();
        assertThat(darkAt(image, rightCap + 3, barMiddle - 8)).isFalse();
    }

    private static boolean darkAt(BufferedImage image, int x, int y) {
        for (int dx = -1; dx <= 1; dx++) {
            Color c = new Color(image.getRGB(x + dx, y));
            if (c.getRed() + c.getGreen() + c.getBlue() < 200) {
                return true;
            }
        }
        return false;
    }

    private static Report.Workload workload(String title, Map<String, Double> results, Map<String, Double> errors) {
        return new Report.Workload(title, "ns/op", false, new LinkedHashMap<>(results), new LinkedHashMap<>(errors), null);
    }
}
