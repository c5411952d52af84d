package io.github.namedsem.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The meters as a registry sees them, on real semaphores. */
class InstrumentedSemaphoreTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final List<Runnable> cleanup = new ArrayList<>();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void unlinkWhatWasCreated() {
        cleanup.forEach(Runnable::run);
    }

    private NamedSemaphore create(int initial, int max, SemaphoreKind kind) {
        String name = "nsmicro-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        SemaphoreOptions options = SemaphoreOptions.defaults().kind(kind);
        NamedSemaphore sem = NamedSemaphore.create(name, initial, max, options);
        cleanup.add(() -> NamedSemaphore.unlink(name, options));
        return sem;
    }

    private double gauge(String meter, NamedSemaphore sem) {
        return registry.get(meter).tag("name", sem.name()).gauge().value();
    }

    @Test
    void gaugesShowFreeAndMaximumPermitsAsTheyChange() throws Exception {
        var sem = new InstrumentedSemaphore(create(2, 3, SemaphoreKind.STANDARD)); // the test closes it; finally, if it fails first
        try {
            sem.bindTo(registry);
            assertThat(gauge(InstrumentedSemaphore.AVAILABLE, sem.semaphore())).isEqualTo(2.0);
            assertThat(gauge(InstrumentedSemaphore.MAX, sem.semaphore())).isEqualTo(3.0);
            try (var _ = sem.permit()) {
                assertThat(gauge(InstrumentedSemaphore.AVAILABLE, sem.semaphore())).isEqualTo(1.0);
            }
            assertThat(gauge(InstrumentedSemaphore.AVAILABLE, sem.semaphore())).isEqualTo(2.0);
            sem.close();
            assertThat(gauge(InstrumentedSemaphore.AVAILABLE, sem.semaphore())).isNaN();
        } finally {
            sem.close();
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "the crash-safe kind is Linux-only")
    void everyMeterIsTaggedWithNameKindAndExtraTags() {
        try (var standard = new InstrumentedSemaphore(create(1, 1, SemaphoreKind.STANDARD), Tags.of("app", "billing"));
             var crashSafe = new InstrumentedSemaphore(create(1, 1, SemaphoreKind.CRASH_SAFE))) {
            standard.bindTo(registry);
            crashSafe.bindTo(registry);
            assertThat(registry.find(InstrumentedSemaphore.WAIT).tags("kind", "standard", "app", "billing")
                    .tag("name", standard.semaphore().name()).timer()).isNotNull();
            assertThat(registry.find(InstrumentedSemaphore.TIMEOUTS).tags("kind", "crash-safe")
                    .tag("name", crashSafe.semaphore().name()).counter()).isNotNull();
            assertThat(registry.find(InstrumentedSemaphore.AVAILABLE).tags("kind", "crash-safe").gauge().value())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void aWaitIsTimedUntilAnotherThreadReleases() throws Exception {
        try (var sem = new InstrumentedSemaphore(create(0, 1, SemaphoreKind.STANDARD))) {
            sem.bindTo(registry);
            Thread releaser = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sem.release();
            });
            sem.acquire();
            releaser.join();
            var timer = registry.get(InstrumentedSemaphore.WAIT).timer();
            assertThat(timer.count()).isEqualTo(1);
            assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(250);
            assertThat(registry.get(InstrumentedSemaphore.TIMEOUTS).counter().count()).isZero();
        }
    }

    @Test
    void timedWaitsWithoutAPermitAreCountedAsTimeoutsNotAsWaits() throws Exception {
        try (var sem = new InstrumentedSemaphore(create(0, 1, SemaphoreKind.STANDARD))) {
            sem.bindTo(registry);
            assertThat(sem.tryAcquire(Duration.ofMillis(20))).isFalse();
            assertThatThrownBy(() -> sem.permit(Duration.ofMillis(20))).isInstanceOf(TimeoutException.class);
            assertThat(registry.get(InstrumentedSemaphore.TIMEOUTS).counter().count()).isEqualTo(2.0);
            assertThat(registry.get(InstrumentedSemaphore.WAIT).timer().count()).isZero();

            sem.release();
            assertThat(sem.tryAcquire(Duration.ofMillis(20))).isTrue();
            assertThat(registry.get(InstrumentedSemaphore.WAIT).timer().count()).isEqualTo(1);
        }
    }

    @Test
    void eachBoundRegistryGetsEveryRecording() throws Exception {
        MeterRegistry second = new SimpleMeterRegistry();
        try (var sem = new InstrumentedSemaphore(create(1, 1, SemaphoreKind.STANDARD))) {
            sem.bindTo(registry);
            sem.bindTo(second);
            try (var _ = sem.permit()) {
                assertThat(second.get(InstrumentedSemaphore.AVAILABLE).gauge().value()).isZero();
            }
            assertThat(registry.get(InstrumentedSemaphore.WAIT).timer().count()).isEqualTo(1);
            assertThat(second.get(InstrumentedSemaphore.WAIT).timer().count()).isEqualTo(1);
        }
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "Windows records the maximum")
    void noMaximumGaugeWhereTheOsRecordsNone() {
        try (var created = create(1, 4, SemaphoreKind.STANDARD);
             var opened = new InstrumentedSemaphore(NamedSemaphore.open(created.name()))) {
            opened.bindTo(registry);
            assertThat(opened.semaphore().maxPermits()).isEmpty(); // Linux: open() learns no maximum
            assertThat(registry.find(InstrumentedSemaphore.MAX).gauge()).isNull();
            assertThat(registry.get(InstrumentedSemaphore.AVAILABLE).gauge().value()).isEqualTo(1.0);
        }
    }
}
