package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every behaviour the original Python package (semaphore_win_ctypes) tests, translated to
 * namedsem's API and run against real operating-system semaphores.
 */
class OriginalSuiteTest {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @Test
    void basicScopesCreateOpenAcquire() throws Exception {
        String name = names.next("basic");
        assertThatThrownBy(() -> NamedSemaphore.open(name)).isInstanceOf(NoSuchSemaphoreException.class);

        try (var created = NamedSemaphore.create(name, 1)) {
            assertThat(created.availablePermits()).isEqualTo(1);
            assertThat(created.created()).isTrue();
            try (var opened = NamedSemaphore.open(name)) {
                assertThat(opened.created()).isFalse();
                assertThat(opened.availablePermits()).isEqualTo(1);
                try (var permit = opened.permit()) {
                    assertThat(permit.isReleased()).isFalse();
                    assertThat(created.availablePermits()).isZero();
                    assertThat(opened.availablePermits()).isZero();
                }
                assertThat(created.availablePermits()).isEqualTo(1);
            }
        }
    }

    @Test
    void releaseReturnsThePreviousCount() {
        try (var sem = NamedSemaphore.create(names.next("prev"), 1, 1)) {
            assertThat(sem.tryAcquire()).isTrue();
            assertThat(sem.release()).isZero();
            assertThat(sem.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void multiReleaseAddsAllPermitsAndReportsTheCountBefore() {
        try (var sem = NamedSemaphore.create(names.next("multi"), 0, 5)) {
            assertThat(sem.release(3)).isZero();
            assertThat(sem.availablePermits()).isEqualTo(3);
            assertThat(sem.release(2)).isEqualTo(3);
            assertThat(sem.availablePermits()).isEqualTo(5);
        }
    }

    @Test
    void tooManyReleasesFailAndChangeNothing() {
        try (var sem = NamedSemaphore.create(names.next("toomany"), 1, 1)) {
            assertThatThrownBy(sem::release).isInstanceOf(PermitLimitExceededException.class)
                    .hasMessageContaining(sem.osName()).hasMessageContaining("nothing was released");
            assertThat(sem.availablePermits()).isEqualTo(1);
            assertThat(sem.tryAcquire()).isTrue();
            assertThatThrownBy(() -> sem.release(2)).isInstanceOf(PermitLimitExceededException.class);
            assertThat(sem.availablePermits()).isZero();
        }
    }

    @Test
    void createErrorsAreReportedBeforeAnythingIsCreated() {
        String name = names.next("createerr");
        assertThatThrownBy(() -> NamedSemaphore.create(name, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds maxPermits");
        assertThatThrownBy(() -> NamedSemaphore.create(name, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> NamedSemaphore.create(name, -1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> NamedSemaphore.create(name, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamedSemaphore.openOrCreate(name, 3, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(NamedSemaphore.unlink(name)).as("nothing was created").isFalse();
    }

    @Test
    void createFailsWhenTheNameExistsAndLeavesItAlone() {
        String name = names.next("exists");
        try (var first = NamedSemaphore.create(name, 1, 3)) {
            assertThatThrownBy(() -> NamedSemaphore.create(name, 3))
                    .isInstanceOf(SemaphoreExistsException.class)
                    .hasMessageContaining(first.osName())
                    .hasMessageContaining(OS.WINDOWS.isCurrentOs() ? "ERROR_ALREADY_EXISTS" : "EEXIST");
            assertThat(first.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // Windows has no unlink: see WindowsBehaviourTest
    void openWithoutCreateAndAfterRemovalFail() {
        String name = names.next("removed");
        assertThatThrownBy(() -> NamedSemaphore.open(name))
                .isInstanceOf(NoSuchSemaphoreException.class)
                .hasMessageContaining("/" + name).hasMessageContaining("ENOENT")
                .hasMessageContaining("NamedSemaphore.create(\"" + name + "\"");
        try (var sem = NamedSemaphore.create(name, 1)) {
            assertThat(NamedSemaphore.unlink(name)).isTrue();
            assertThatThrownBy(() -> NamedSemaphore.open(name)).isInstanceOf(NoSuchSemaphoreException.class);
            assertThat(sem.tryAcquire()).as("the open handle still works after unlink").isTrue();
            assertThat(sem.release()).isZero();
        }
        assertThat(NamedSemaphore.unlink(name)).isFalse();
    }

    @Test
    void tooManyAcquiresTimeOut() throws Exception {
        try (var sem = NamedSemaphore.create(names.next("acq"), 1, 1)) {
            assertThat(sem.tryAcquire()).isTrue();
            assertThat(sem.tryAcquire()).isFalse();
            assertThat(sem.tryAcquire(Duration.ZERO)).isFalse();
            assertThat(sem.tryAcquire(0, TimeUnit.MILLISECONDS)).isFalse();
            assertThatThrownBy(() -> sem.permit(Duration.ofMillis(10))).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining(sem.osName());
            assertThat(sem.availablePermits()).isZero();
        }
    }

    @Test
    void acquireReleaseCyclesKeepTheCount() throws Exception {
        try (var sem = NamedSemaphore.create(names.next("cycles"), 2)) {
            for (int i = 0; i < 1000; i++) {
                sem.acquire();
                assertThat(sem.tryAcquire(Duration.ofMillis(1))).isTrue();
                assertThat(sem.tryAcquire()).isFalse();
                sem.release(2);
            }
            assertThat(sem.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void doubleCloseIsHarmlessAndLaterUseSaysClosed() {
        String name = names.next("close");
        var keeper = NamedSemaphore.create(name, 1); // on Windows the object lives only while a handle does
        var sem = NamedSemaphore.open(name);
        String osName = sem.osName();
        sem.close();
        sem.close();
        assertThat(sem.isClosed()).isTrue();
        assertThatThrownBy(sem::tryAcquire).isInstanceOf(SemaphoreClosedException.class)
                .hasMessageContaining(osName).hasMessageContaining("closed");
        assertThatThrownBy(sem::release).isInstanceOf(SemaphoreClosedException.class);
        assertThatThrownBy(sem::availablePermits).isInstanceOf(SemaphoreClosedException.class);
        assertThatThrownBy(sem::acquire).isInstanceOf(SemaphoreClosedException.class);
        assertThatThrownBy(() -> sem.tryAcquire(Duration.ofSeconds(1))).isInstanceOf(SemaphoreClosedException.class);
        try (keeper) {
            assertThat(keeper.availablePermits()).as("closing changed nothing").isEqualTo(1);
        }
    }

    @Test
    void lowStartingValue() {
        try (var sem = NamedSemaphore.create(names.next("low"), 0, 2)) {
            assertThat(sem.availablePermits()).isZero();
            assertThat(sem.tryAcquire()).isFalse();
            sem.release();
            assertThat(sem.tryAcquire()).isTrue();
        }
    }

    @Test
    void defaultInitialCountIsTheMaximum() {
        try (var sem = NamedSemaphore.create(names.next("default"), 3)) {
            assertThat(sem.availablePermits()).isEqualTo(3);
            assertThat(sem.maxPermits()).hasValue(3);
        }
    }

    @ParameterizedTest(name = "timeout {0} ms")
    @ValueSource(ints = {0, 1, 500})
    void timeoutsOnAnEmptySemaphore(int millis) throws Exception {
        try (var sem = NamedSemaphore.create(names.next("timeout"), 0, 1)) {
            long start = System.nanoTime();
            assertThat(sem.tryAcquire(Duration.ofMillis(millis))).isFalse();
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMs).isGreaterThanOrEqualTo(millis).isLessThan(millis + 500L);
            assertThat(sem.availablePermits()).isZero();
        }
    }

    @Test
    void permitReleasesExactlyOnce() throws Exception {
        try (var sem = NamedSemaphore.create(names.next("permit"), 2)) {
            var permit = sem.permit();
            assertThat(sem.availablePermits()).isEqualTo(1);
            permit.close();
            permit.close();
            assertThat(permit.isReleased()).isTrue();
            assertThat(sem.availablePermits()).isEqualTo(2);
            try (var timed = sem.permit(Duration.ofMillis(10))) {
                assertThat(timed.semaphore()).isSameAs(sem);
                assertThat(sem.availablePermits()).isEqualTo(1);
            }
            assertThat(sem.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void openOrCreateTellsWhetherItCreated() {
        String name = names.next("ooc");
        try (var first = NamedSemaphore.openOrCreate(name, 1, 4);
             var second = NamedSemaphore.openOrCreate(name, 4, 4)) {
            assertThat(first.created()).isTrue();
            assertThat(second.created()).isFalse();
            assertThat(second.availablePermits()).as("an existing count is kept").isEqualTo(1);
            assertThat(second.maxPermits()).hasValue(4);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void openedHandlesHaveNoMaximumOnLinuxAndReleaseFreely() {
        String name = names.next("nomax");
        try (var creator = NamedSemaphore.create(name, 1, 1); var opened = NamedSemaphore.open(name)) {
            assertThat(opened.maxPermits()).isEmpty();
            assertThat(opened.release()).as("POSIX itself has no maximum").isEqualTo(1);
            assertThat(creator.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void releaseOfLessThanOnePermitIsAnArgumentError() {
        try (var sem = NamedSemaphore.create(names.next("zero"), 0, 1)) {
            assertThatThrownBy(() -> sem.release(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sem.release(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(sem.availablePermits()).isZero();
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void releasePastSemValueMaxFailsWithoutPosting() {
        String name = names.next("valuemax");
        try (var creator = NamedSemaphore.create(name, Integer.MAX_VALUE - 1, Integer.MAX_VALUE);
             var opened = NamedSemaphore.open(name)) {
            assertThatThrownBy(() -> opened.release(2)).isInstanceOf(PermitLimitExceededException.class)
                    .hasMessageContaining("SEM_VALUE_MAX");
            assertThat(opened.availablePermits()).isEqualTo(Integer.MAX_VALUE - 1);
            assertThat(opened.release()).isEqualTo(Integer.MAX_VALUE - 1);
        }
    }
}
