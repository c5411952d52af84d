package io.github.namedsem.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackendsTest {

    @ParameterizedTest
    @CsvSource({
        "Linux, LINUX", "linux, LINUX", "Windows 11, WINDOWS", "Windows Server 2022, WINDOWS",
        "Mac OS X, OTHER", "FreeBSD, OTHER", "'', OTHER"
    })
    void classifiesOsNames(String osName, Backends.Os expected) {
        assertThat(Backends.classify(osName)).isEqualTo(expected);
    }
}
