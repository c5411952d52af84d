package io.github.namedsem.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the report reads what its workloads printed, on figures made up for the purpose. */
class ReportPartsTest {
    @Test
    void startUpFiguresBecomeMeanWithItsDeviationMinimumAndCpuInNanoseconds() {
        Report.Workload panel = Startup.panel(List.of("namedsem run (this checkout)\t0.25\t0.05\t0.2\t0.1\t0.02", ""));
        assertThat(panel.results()).containsExactly(
                org.assertj.core.api.Assertions.entry("namedsem run (this checkout): mean", 0.25e9),
                org.assertj.core.api.Assertions.entry("namedsem run (this checkout): min", 0.2e9),
                org.assertj.core.api.Assertions.entry("namedsem run (this checkout): CPU", 0.12e9));
        assertThat(panel.errors()).containsEntry("namedsem run (this checkout): mean", 0.05e9).hasSize(1);
    }

    @Test
    void waiterCasesMakeOneRowPerCountAndOnePanelPerThreadKind() {
        Cases cases = new Cases("Wake", "Wake", "ns (median)", "how");
        cases.parse("namedsem platform 1 5000 9000\njuc virtual 1000 700 800\n");
        cases.add("C", "platform", 1, 3000, null);
        assertThat(cases.value("juc", "virtual", 1000)).isEqualTo(700);
        assertThat(cases.markdown()).contains("| 1 | 5.00 µs (9.00 µs) | – | 3.00 µs |")
                .contains("| 1,000 | – | 700 ns (800 ns) | – |");
        assertThat(cases.panels()).extracting(Report.Workload::title).containsExactly("Wake, platform threads",
                "Wake, virtual threads");
    }

    @Test
    void sharesOfACoreAreLabelledAsPercentages() {
        assertThat(Chart.human(0.25, "% of one core")).isEqualTo("0.25%");
        assertThat(Chart.tick(-2, "% of one core")).isEqualTo("0.01%");
        assertThat(Chart.tick(1, "% of one core")).isEqualTo("10%");
        assertThat(Chart.color("C · 100")).isEqualTo(Chart.color("C"));
        assertThat(Chart.color(Report.PREVIOUS)).isNotEqualTo(Chart.color("namedsem"));
    }
}
