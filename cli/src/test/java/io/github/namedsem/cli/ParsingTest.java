package io.github.namedsem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ParsingTest {

    @Test
    void durationsTakeAUnit() {
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("0s")).isZero();
    }

    @Test
    void durationsAreBareSecondsLikeFlockAndTimeout() {
        assertThat(Durations.parse("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("0.5")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("0.000001")).isEqualTo(Duration.ofNanos(1000));
    }

    @Test
    void durationsCombineUnitsAndKnowDays() {
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("2d12h")).isEqualTo(Duration.ofHours(60));
        assertThat(Durations.parse("1s500ms")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void durationsMayBeIso8601() {
        assertThat(Durations.parse("PT5S")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("P1DT2H")).isEqualTo(Duration.ofHours(26));
        assertThat(Durations.parse("pt0.25s")).isEqualTo(Duration.ofMillis(250));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5x", "-1s", "-5", "1 s", "s", "1.s", ".5", "99999999999999999h", "1s1m", "1m1m",
        "1m 30s", "PT-5S", "P", "PTS", "-PT5S"})
    void badDurationsAreRefusedWithExamples(String bad) {
        assertThatThrownBy(() -> Durations.parse(bad)).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("invalid duration");
    }

    @Test
    void exitStatusesAreZeroTo255() {
        assertThat(WaitOptions.ExitStatus.parse("0")).isZero();
        assertThat(WaitOptions.ExitStatus.parse("255")).isEqualTo(255);
        for (String bad : new String[] {"256", "-1", "x", "", "1000"}) {
            assertThatThrownBy(() -> WaitOptions.ExitStatus.parse(bad)).isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageContaining("0 to 255");
        }
    }

    @Test
    void durationsPrintShort() {
        assertThat(Durations.format(Duration.ofMillis(300))).isEqualTo("300ms");
        assertThat(Durations.format(Duration.ofMillis(2500))).isEqualTo("2.5s");
        assertThat(Durations.format(Duration.ofSeconds(185))).isEqualTo("3m05s");
    }

    @Test
    void jsonKeepsKeyOrderAndEscapes() {
        Map<String, Object> o = Json.object();
        o.put("name", "a\"b\\c\n\u0001");
        o.put("n", 2);
        o.put("max", null);
        o.put("ok", true);
        o.put("list", List.of(1, "x"));
        assertThat(Json.write(o)).isEqualTo("{\"name\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":2,\"max\":null,\"ok\":true,\"list\":[1,\"x\"]}");
        assertThat(Json.write(List.of())).isEqualTo("[]");
    }

    @Test
    void modesAreOctal() {
        var mode = new CreateCommand.OctalMode();
        assertThat(mode.convert("0600")).isEqualTo(0600);
        assertThat(mode.convert("660")).isEqualTo(0660);
        assertThat(mode.convert("0o644")).isEqualTo(0644);
        assertThatThrownBy(() -> mode.convert("0800")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
