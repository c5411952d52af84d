package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every behaviour the original Python package (semaphore_win_ctypes) tests, translated to
 * namedsem's API and run against real operating-system semaphores of each kind.
 */
interface OriginalSuiteContract extends KindFixture {

    @Test
    default void basicScopesCreateOpenAcquire() throws Exception {
        String name = name("basic");
        assertThatThrownBy(() -> open(name)).isInstanceOf(NoSuchSemaphoreException.class);

        try (var created = create(name, 1)) {
            assertThat(created.kind()).isEqualTo(kind());
            assertThat(created.availablePermits()).isEqualTo(1);
            assertThat(created.created()).isTrue();
            try (var opened = open(name)) {
                assertThat(opened.kind()).isEqualTo(kind());
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
    default void releaseReturnsThePreviousCount() {
        try (var sem = create(name("prev"), 1, 1)) {
            assertThat(sem.tryAcquire()).isTrue();
            assertThat(sem.release()).isZero();
            assertThat(sem.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    default void multiReleaseAddsAllPermitsAndReportsTheCountBefore() {
        try (var sem = createDrained(name("multi"), 5)) {
            assertThat(sem.release(3)).isZero();
            assertThat(sem.availablePermits()).isEqualTo(3);
            assertThat(sem.release(2)).isEqualTo(3);
            assertThat(sem.availablePermits()).isEqualTo(5);
        }
    }

    @Test
    default void releasingPermitsNobodyHereAcquiredRaisesTheCountOrIsRefused() {
        try (var sem = create(name("unacquired"), 0, 5)) {
            if (releaseNeedsTheAcquiringProcess()) {
                assertThatThrownBy(() -> sem.release(3)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("released by the process that acquired it")
                        .hasMessageContaining("Nothing was released");
                assertThat(sem.availablePermits()).isZero();
            } else {
                assertThat(sem.release(3)).isZero();
                assertThat(sem.availablePermits()).isEqualTo(3);
            }
        }
    }

    @Test
    default void aPermitAcquiredThroughOneHandleMayBeReleasedThroughAnotherOfTheProcess() {
        String name = name("owner");
        try (var sem = create(name, 1, 1)) {
            assertThat(sem.tryAcquire()).isTrue();
            try (var other = open(name)) {
                assertThat(other.release()).as("another handle of the same process may").isZero();
            }
            assertThat(sem.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    default void tooManyReleasesFailAndChangeNothing() {
        try (var sem = create(name("toomany"), 1, 1)) {
            // Where only the acquirer may release, that check comes first; the maximum itself is
            // then only reachable through another process (see CrashSafeTest).
            Class<? extends RuntimeException> refusal = releaseNeedsTheAcquiringProcess()
                    ? IllegalStateException.class : PermitLimitExceededException.class;
            assertThatThrownBy(sem::release).isInstanceOf(refusal)
                    .message().contains(nameInMessages(sem.name())).containsIgnoringCase("nothing was released");
            assertThat(sem.availablePermits()).isEqualTo(1);
            assertThat(sem.tryAcquire()).isTrue();
            assertThatThrownBy(() -> sem.release(2)).isInstanceOf(refusal);
            assertThat(sem.availablePermits()).isZero();
            assertThat(sem.release()).as("the held permit is still releasable").isZero();
        }
    }

    @Test
    default void createErrorsAreReportedBeforeAnythingIsCreated() {
        String name = name("createerr");
        assertThatThrownBy(() -> create(name, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds maxPermits");
        assertThatThrownBy(() -> create(name, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> create(name, -1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> create(name, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> openOrCreate(name, 3, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(unlink(name)).as("nothing was created").isFalse();
    }

    @Test
    default void theCountLimitIsAcceptedAndOneMoreIsRefusedBeforeAnythingIsCreated() {
        String name = name("limits");
        int limit = countLimit();
        if (limit < Integer.MAX_VALUE) {
            assertThatThrownBy(() -> create(name, limit + 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(limit));
            assertThat(unlink(name)).as("nothing was created").isFalse();
        }
        try (var sem = create(name, limit)) {
            assertThat(sem.availablePermits()).isEqualTo(limit);
            assertThat(sem.maxPermits()).hasValue(limit);
        }
    }

    @Test
    default void createFailsWhenTheNameExistsAndLeavesItAlone() {
        String name = name("exists");
        try (var first = create(name, 1, 3)) {
            assertThatThrownBy(() -> create(name, 3))
                    .isInstanceOf(SemaphoreExistsException.class)
                    .hasMessageContaining(nameInMessages(name))
                    .hasMessageContaining(OS.WINDOWS.isCurrentOs() ? "ERROR_ALREADY_EXISTS" : "EEXIST");
            assertThat(first.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX) // Windows has no unlink: see WindowsBehaviourTest
    default void openWithoutCreateAndAfterRemovalFail() {
        String name = name("removed");
        assertThatThrownBy(() -> open(name))
                .isInstanceOf(NoSuchSemaphoreException.class)
                .hasMessageContaining(nameInMessages(name))
                .message().contains(noSuchSemaphoreMessageSays(name));
        try (var sem = create(name, 1)) {
            assertThat(unlink(name)).isTrue();
            assertThatThrownBy(() -> open(name)).isInstanceOf(NoSuchSemaphoreException.class);
            if (unlinkKeepsOpenHandlesWorking()) {
                assertThat(sem.tryAcquire()).as("the open handle still works after unlink").isTrue();
                assertThat(sem.release()).isZero();
            } else {
                assertThatThrownBy(sem::tryAcquire).isInstanceOf(SemaphoreRemovedException.class)
                        .hasMessageContaining(nameInMessages(name));
                assertThatThrownBy(sem::availablePermits).isInstanceOf(SemaphoreRemovedException.class);
            }
        }
        assertThat(unlink(name)).isFalse();
    }

    @Test
    default void tooManyAcquiresTimeOut() throws Exception {
        try (var sem = create(name("acq"), 1, 1)) {
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
    default void acquireReleaseCyclesKeepTheCount() throws Exception {
        try (var sem = create(name("cycles"), 2)) {
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
    default void doubleCloseIsHarmlessAndLaterUseSaysClosed() {
        String name = name("close");
        var keeper = create(name, 1); // on Windows the object lives only while a handle does
        var sem = open(name);
        sem.close();
        sem.close();
        assertThat(sem.isClosed()).isTrue();
        assertThatThrownBy(sem::tryAcquire).isInstanceOf(SemaphoreClosedException.class)
                .hasMessageContaining(sem.osName()).hasMessageContaining("\"" + name + "\"").hasMessageContaining("closed");
        assertThatThrownBy(sem::release).isInstanceOf(SemaphoreClosedException.class);
        assertThatThrownBy(sem::availablePermits).isInstanceOf(SemaphoreClosedException.class);
        assertThatThrownBy(sem::acquire).isInstanceOf(SemaphoreClosedException.class);
        assertThatThrownBy(() -> sem.tryAcquire(Duration.ofSeconds(1))).isInstanceOf(SemaphoreClosedException.class);
        try (keeper) {
            assertThat(keeper.availablePermits()).as("closing changed nothing").isEqualTo(1);
        }
    }

    @Test
    default void lowStartingValue() {
        try (var sem = create(name("low"), 0, 2)) {
            assertThat(sem.availablePermits()).isZero();
            assertThat(sem.tryAcquire()).isFalse();
        }
        try (var sem = createDrained(name("low"), 2)) {
            sem.release();
            assertThat(sem.tryAcquire()).isTrue();
        }
    }

    @Test
    default void defaultInitialCountIsTheMaximum() {
        try (var sem = create(name("default"), 3)) {
            assertThat(sem.availablePermits()).isEqualTo(3);
            assertThat(sem.maxPermits()).hasValue(3);
        }
    }

    @ParameterizedTest(name = "timeout {0} ms")
    @ValueSource(ints = {0, 1, 500})
    default void timeoutsOnAnEmptySemaphore(int millis) throws Exception {
        try (var sem = create(name("timeout"), 0, 1)) {
            long start = System.nanoTime();
            assertThat(sem.tryAcquire(Duration.ofMillis(millis))).isFalse();
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMs).isGreaterThanOrEqualTo(millis).isLessThan(millis + 500L);
            assertThat(sem.availablePermits()).isZero();
        }
    }

    @Test
    default void permitReleasesExactlyOnce() throws Exception {
        try (var sem = create(name("permit"), 2)) {
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
    default void openOrCreateTellsWhetherItCreated() {
        String name = name("ooc");
        try (var first = openOrCreate(name, 1, 4);
             var second = openOrCreate(name, 4, 4)) {
            assertThat(first.created()).isTrue();
            assertThat(second.created()).isFalse();
            assertThat(second.availablePermits()).as("an existing count is kept").isEqualTo(1);
            assertThat(second.maxPermits()).hasValue(4);
        }
    }

    @Test
    default void whatMaximumAnOpenedHandleKnows() {
        String name = name("openmax");
        try (var creator = create(name, 1, 1);
             var opened = open(name);
             var reopened = openOrCreate(name, 0, 3)) {
            if (openKnowsTheMaximum()) {
                assertThat(opened.maxPermits()).as("the maximum recorded at creation").hasValue(1);
            } else {
                assertThat(opened.maxPermits()).as("the OS records no maximum").isEmpty();
            }
            if (maximumBindsEveryHandle()) {
                assertThat(reopened.maxPermits()).as("the recorded maximum wins").hasValue(1);
            } else {
                assertThat(reopened.maxPermits()).as("the handle's own maximum").hasValue(3);
                assertThat(reopened.release(2)).as("a handle's maximum binds only that handle").isEqualTo(1);
                assertThat(creator.availablePermits()).isEqualTo(3);
            }
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    default void anOpenedHandleWithoutAMaximumReleasesUpToTheKernelsLimitAndNoFurther() {
        String name = name("valuemax");
        int limit = countLimit();
        try (var creator = create(name, limit - 1, limit); var opened = open(name)) {
            if (openKnowsTheMaximum() || releaseNeedsTheAcquiringProcess()) {
                // The opened handle knows the maximum, or may release only what this process
                // holds: either way the count cannot pass the limit through it.
                assertThatThrownBy(() -> opened.release(2)).isInstanceOfAny(
                        PermitLimitExceededException.class, IllegalStateException.class);
                assertThat(opened.availablePermits()).isEqualTo(limit - 1);
                assertThat(opened.tryAcquire()).isTrue();
                assertThat(opened.release()).isEqualTo(limit - 2);
            } else {
                assertThat(opened.maxPermits()).isEmpty();
                assertThatThrownBy(() -> opened.release(2)).isInstanceOf(PermitLimitExceededException.class)
                        .hasMessageContaining("SEM_VALUE_MAX");
                assertThat(opened.availablePermits()).isEqualTo(limit - 1);
                assertThat(opened.release()).as("POSIX itself has no maximum but SEM_VALUE_MAX").isEqualTo(limit - 1);
                assertThat(creator.availablePermits()).isEqualTo(limit);
            }
        }
    }

    @Test
    default void releaseOfLessThanOnePermitIsAnArgumentError() {
        try (var sem = create(name("zero"), 0, 1)) {
            assertThatThrownBy(() -> sem.release(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sem.release(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(sem.availablePermits()).isZero();
        }
    }
}
