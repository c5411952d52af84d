package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several permits in one atomic step: all or none, on the kinds that can; a clear refusal,
 * never a loop, on the kinds that cannot.
 */
class MultiplePermitsTest {
    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);

    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @Test
    @EnabledOnOs(OS.LINUX)
    void crashSafeTakesSeveralAtOnceOrNone() throws Exception {
        try (var sem = NamedSemaphore.create(names.nextCrashSafe("multi"), 5, CRASH_SAFE)) {
            assertThat(sem.tryAcquire(3)).isTrue();
            assertThat(sem.availablePermits()).isEqualTo(2);
            assertThat(sem.tryAcquire(3)).as("only 2 free: none is taken").isFalse();
            assertThat(sem.availablePermits()).isEqualTo(2);
            assertThat(sem.tryAcquire(3, Duration.ofMillis(50))).isFalse();
            assertThat(sem.availablePermits()).isEqualTo(2);
            sem.release(3);
            try (Permit budget = sem.permit(4)) {
                assertThat(budget.permits()).isEqualTo(4);
                assertThat(sem.availablePermits()).isEqualTo(1);
                assertThatThrownBy(() -> sem.permit(2, Duration.ofMillis(20))).isInstanceOf(TimeoutException.class)
                        .hasMessageContaining("2 permits");
            }
            assertThat(sem.availablePermits()).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @EnabledOnOs(OS.LINUX)
    void aWaiterForSeveralIsWokenOnlyWhenAllAreFree(boolean virtual) throws Exception {
        try (var sem = NamedSemaphore.create(names.nextCrashSafe("multiwait"), 4, CRASH_SAFE);
             ExecutorService pool = virtual ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newCachedThreadPool()) {
            assertThat(sem.tryAcquire(4)).isTrue(); // crash-safe permits are released by the process that took them
            Future<Boolean> waiter = pool.submit(() -> sem.tryAcquire(3, Duration.ofSeconds(20)));
            sem.release(2);
            Thread.sleep(100);
            assertThat(waiter).isNotDone();
            assertThat(sem.availablePermits()).as("two free, none taken by the waiter for three").isEqualTo(2);
            sem.release(1);
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sem.availablePermits()).isZero();
            // The pump (virtual threads) and the native wait took them in this process: it may release them.
            sem.release(4);
            assertThat(sem.availablePermits()).isEqualTo(4);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anInterruptedWaiterForSeveralHoldsNone() throws Exception {
        try (var sem = NamedSemaphore.create(names.nextCrashSafe("multiint"), 1, 3, CRASH_SAFE)) {
            var result = new CompletableFuture<Throwable>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    sem.acquire(2);
                    result.complete(null);
                } catch (Throwable e) {
                    result.complete(e);
                }
            });
            Thread.sleep(50);
            t.interrupt();
            assertThat(result.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(sem.availablePermits()).isEqualTo(1);
        }
    }

    /** On glibc Linux the standard kind runs glibc's protocol in Java: one compare-and-set takes several. */
    private static boolean standardTakesSeveral() {
        return System.getProperty("os.name").startsWith("Linux") && !Boolean.getBoolean("namedsem.internal.libcOnly");
    }

    @Test
    void theStandardKindOnGlibcTakesSeveralAtOnceOrNone() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(standardTakesSeveral(), "the C library takes one permit per call");
        try (var sem = NamedSemaphore.create(names.next("multiglibc"), 3)) {
            assertThat(sem.tryAcquire(2)).isTrue();
            assertThat(sem.availablePermits()).isEqualTo(1);
            assertThat(sem.tryAcquire(2)).as("one free: none taken").isFalse();
            assertThat(sem.availablePermits()).isEqualTo(1);
            assertThat(sem.tryAcquire(2, Duration.ofMillis(30))).isFalse();
            assertThat(Processes.Lang.C.run("post", sem.name())).as("a C sem_post on top").isEqualTo("2");
            assertThat(sem.tryAcquire(2, Duration.ofSeconds(5))).isTrue();
            assertThat(sem.release(3)).isZero();
        }
    }

    @Test
    void theStandardKindRefusesSeveralAtOnceAndSaysWhichKindCan() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(standardTakesSeveral(), "glibc's protocol in Java takes several");
        try (var sem = NamedSemaphore.create(names.next("multistd"), 3)) {
            assertThatThrownBy(() -> sem.tryAcquire(2)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("CRASH_SAFE");
            assertThatThrownBy(() -> sem.acquire(2)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> sem.permit(2, Duration.ofSeconds(1))).isInstanceOf(UnsupportedOperationException.class);
            assertThat(sem.availablePermits()).as("nothing taken").isEqualTo(3);
            assertThat(sem.tryAcquire(1)).isTrue();
            sem.release();
        }
    }

    @Test
    void countsBelowOneAreRefused() {
        try (var sem = NamedSemaphore.create(names.next("multizero"), 1)) {
            assertThatThrownBy(() -> sem.tryAcquire(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sem.acquire(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sem.release(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
