package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.namedsem.internal.platform.Platform.Os;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackendsTest {

    @ParameterizedTest
    @CsvSource({
        "Linux, LINUX", "linux, LINUX", "Windows 11, WINDOWS", "Windows Server 2022, WINDOWS",
        "Mac OS X, OTHER", "FreeBSD, OTHER", "'', OTHER"
    })
    void classifiesOsNames(String osName, Os expected) {
        assertThat(Os.classify(osName)).isEqualTo(expected);
    }

    @Test
    void eachOsGetsItsOwnBackendWithoutLoadingTheOther() {
        assertThat(Backends.select(SemaphoreKind.STANDARD, Os.LINUX)).isEqualTo(Backends.Implementation.POSIX);
        assertThat(Backends.select(SemaphoreKind.STANDARD, Os.WINDOWS)).isEqualTo(Backends.Implementation.WINDOWS);
        assertThatThrownBy(() -> Backends.select(SemaphoreKind.STANDARD, Os.OTHER))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("Linux and Windows");
    }
}
