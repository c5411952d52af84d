package io.github.namedsem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobserverTest {

    @Test
    void makeflagsGainTheJobserverAfterTheFlagsAndBeforeTheVariableDefinitions() {
        assertThat(Jobserver.makeflags(null, "3,4")).isEqualTo(" -j --jobserver-auth=3,4");
        assertThat(Jobserver.makeflags("  ", "3,4")).isEqualTo(" -j --jobserver-auth=3,4");
        // An outer make's jobserver is overridden: make takes the last --jobserver-auth.
        assertThat(Jobserver.makeflags("s -j4 --jobserver-auth=7,8", "3,4"))
                .isEqualTo("s -j4 --jobserver-auth=7,8 -j --jobserver-auth=3,4");
        assertThat(Jobserver.makeflags("ks -- CC=gcc", "fifo:/tmp/x/fifo"))
                .isEqualTo("ks -j --jobserver-auth=fifo:/tmp/x/fifo -- CC=gcc");
        assertThat(Jobserver.makeflags("-- CC=gcc", "3,4")).isEqualTo(" -j --jobserver-auth=3,4 -- CC=gcc");
    }

    @Test
    void minusJOptionsThatLeaveThePoolAreFoundAfterTheCommandName() {
        assertThat(Jobserver.ownPoolArguments(List.of("make", "-j8", "all", "-j", "--jobs=3", "--jobs", "-k")))
                .containsExactly("-j8", "-j", "--jobs=3", "--jobs");
        assertThat(Jobserver.ownPoolArguments(List.of("-j4", "make", "-k", "-jx", "--jobserver"))).isEmpty();
    }

    @Test
    void stylesAreNamedAsMakeNamesThem() {
        assertThat(Jobserver.Style.parse("pipe")).isEqualTo(Jobserver.Style.PIPE);
        assertThat(Jobserver.Style.parse("fifo")).isEqualTo(Jobserver.Style.FIFO);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Jobserver.Style.parse("sem"))
                .hasMessageContaining("'sem' is not pipe or fifo");
    }
}
