package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's side of the distributed kind: selection errors, and what local permits report. */
class DistributedHooksTest {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @Test
    void distributedWithoutAClusterNamesTheModuleAndCreatesNothing() {
        var options = SemaphoreOptions.defaults().kind(SemaphoreKind.DISTRIBUTED);
        String name = names.next("nocluster");
        assertThat(options.cluster()).isNull();
        assertThatThrownBy(() -> NamedSemaphore.openOrCreate(name, 1, 1, options))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("namedsem-zookeeper")
                .hasMessageContaining("cluster(");
        assertThatThrownBy(() -> NamedSemaphore.open(name, options)).hasMessageContaining("namedsem-zookeeper");
        assertThatThrownBy(() -> NamedSemaphore.unlink(name, options)).hasMessageContaining("namedsem-zookeeper");
        assertThatThrownBy(() -> NamedSemaphore.open(name)).isInstanceOf(NoSuchSemaphoreException.class);
    }

    @Test
    void aLocalKindDropsTheCluster() {
        var withKind = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);
        assertThat(withKind.kind(SemaphoreKind.DISTRIBUTED).cluster()).isNull();
        assertThatThrownBy(() -> SemaphoreOptions.defaults().cluster(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void localPermitsAreAlwaysValidAndHaveNoTokenOrSlot() throws Exception {
        try (var sem = NamedSemaphore.create(names.next("localpermit"), 1)) {
            var permit = sem.permit();
            boolean[] ran = {false};
            permit.onLost(() -> ran[0] = true);
            assertThat(permit.state()).isEqualTo(PermitState.VALID);
            permit.checkValid();
            assertThatThrownBy(permit::token).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("DISTRIBUTED");
            assertThatThrownBy(permit::slot).isInstanceOf(UnsupportedOperationException.class);
            permit.close();
            assertThat(permit.state()).isEqualTo(PermitState.VALID);
            assertThatThrownBy(permit::checkValid).isInstanceOf(IllegalStateException.class);
            assertThat(ran[0]).isFalse();
            assertThat(sem.availablePermits()).isEqualTo(1);
        }
    }
}
