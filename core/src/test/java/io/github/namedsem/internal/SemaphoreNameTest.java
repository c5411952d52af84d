package io.github.namedsem.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SemaphoreNameTest {

    @Test
    void stripsOneLeadingSlash() {
        var name = SemaphoreName.of("/jobs");
        assertThat(name.portable()).isEqualTo("jobs");
        assertThat(name.posix()).isEqualTo("/jobs");
        assertThat(name).isEqualTo(SemaphoreName.of("jobs"));
        assertThat(name.utf8()).isEqualTo("jobs".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void quotesWhatWouldNotShow() {
        assertThat(SemaphoreName.quote("a\0b\n\"c\\")).isEqualTo("\"a\\u0000b\\u000a\\\"c\\\\\"");
        assertThat(SemaphoreName.quote("x\ud800")).isEqualTo("\"x\\ud800\"");
        assertThat(SemaphoreName.quote("😀")).isEqualTo("\"😀\"");
    }
}
