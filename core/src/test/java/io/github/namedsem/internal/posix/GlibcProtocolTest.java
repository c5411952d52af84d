package io.github.namedsem.internal.posix;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * On this project's Linux machines (glibc 2.36, x86_64) the start-up self-test passes and the
 * standard kind runs glibc's protocol in Java, unless the test-only switch asks for the C
 * library; the run with that switch keeps the fallback tested.
 */
@EnabledOnOs(OS.LINUX)
class GlibcProtocolTest {
    @Test
    void theSelfTestPassesHereUnlessTheFallbackIsAskedFor() {
        boolean libcOnly = Boolean.getBoolean(GlibcProtocol.LIBC_ONLY_PROPERTY);
        assertThat(GlibcProtocol.ENABLED).as("own protocol (libcOnly=%s)", libcOnly).isEqualTo(!libcOnly);
    }
}
