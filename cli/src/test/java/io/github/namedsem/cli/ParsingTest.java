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

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5x", "-1s", "1 s", "s", "1.s", "99999999999999999h"})
    void badDurationsAreRefusedWithExamples(String bad) {
        assertThatThrownBy(() -> Durations.parse(bad)).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("invalid duration");
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
