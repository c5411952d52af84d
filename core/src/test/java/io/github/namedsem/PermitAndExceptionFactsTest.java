package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Permit#isReleased()} says what happened, and exceptions carry the OS name and kind. */
class PermitAndExceptionFactsTest {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @Test
    void aPermitIsReleasedOnlyWhenTheReleaseSucceeded() throws Exception {
        var sem = NamedSemaphore.create(names.next("permit"), 1); // the test closes it; finally, if it fails first
        try {
            Permit permit = sem.permit();
            assertThat(permit.isReleased()).isFalse();
            permit.close();
            assertThat(permit.isReleased()).isTrue();
            assertThat(sem.availablePermits()).isEqualTo(1);

            Permit orphan = sem.permit();
            sem.close();
            assertThatThrownBy(orphan::close).isInstanceOf(SemaphoreClosedException.class);
            assertThat(orphan.isReleased()).as("the release failed: the handle was closed first").isFalse();
            orphan.close(); // later calls do nothing, also after a failed first one
            assertThat(orphan.toString()).contains("release failed");
        } finally {
            sem.close();
        }
    }

    @Test
    void exceptionsNameTheOsObjectAndTheKind() {
        String name = names.next("facts");
        var missing = catchThrowableOfType(NoSuchSemaphoreException.class, () -> NamedSemaphore.open(name));
        assertThat(missing.semaphoreName()).isEqualTo(name);
        assertThat(missing.kind()).isEqualTo(SemaphoreKind.STANDARD);
        var sem = NamedSemaphore.create(name, 1); // the test closes it; finally, if it fails first
        try {
            assertThat(missing.osName()).isEqualTo(sem.osName());
            sem.close();
            var closed = catchThrowableOfType(SemaphoreClosedException.class, sem::tryAcquire);
            assertThat(closed.osName()).isEqualTo(sem.osName());
            assertThat(closed.kind()).isEqualTo(SemaphoreKind.STANDARD);
        } finally {
            sem.close();
        }
    }
}
