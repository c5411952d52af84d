package io.github.namedsem.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Each example does what its Javadoc says, on real semaphores (and a real Python peer). */
@EnabledOnOs(OS.LINUX) // crash-safe kinds, python3 and true(1)
class ExamplesTest {
    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final List<Runnable> cleanup = new ArrayList<>();

    private String name(String hint, SemaphoreOptions options, String... suffixes) {
        String name = "nsex-" + hint + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        for (String suffix : suffixes) {
            cleanup.add(() -> NamedSemaphore.unlink(name + suffix, options));
        }
        return name;
    }

    @AfterEach
    void unlink() {
        cleanup.forEach(Runnable::run);
    }

    @Test
    void theJobLimiterRunsTheCommandOrGivesUpWhenNoSlotIsFree() throws Exception {
        String name = name("jobs", SemaphoreOptions.defaults(), "");
        assertThat(JobLimiter.run(name, 1, List.of("sh", "-c", "exit 3"), Duration.ofSeconds(10))).isEqualTo(3);
        try (var sem = NamedSemaphore.open(name);
             var _ = sem.permit()) {
            assertThat(JobLimiter.run(name, 1, List.of("true"), Duration.ofMillis(100))).isEqualTo(75);
        }
    }

    @Test
    void gpuSlotsGiveEachTakerItsOwnDevice() throws Exception {
        String prefix = name("gpu", CRASH_SAFE, "-free", "-0", "-1");
        try (var slots = GpuSlots.open(prefix, 2)) {
            var first = slots.take(Duration.ofSeconds(5));
            var second = slots.take(Duration.ofSeconds(5));
            assertThat(List.of(first.device(), second.device())).containsExactlyInAnyOrder(0, 1);
            assertThatThrownBy(() -> slots.take(Duration.ofMillis(100))).isInstanceOf(TimeoutException.class);
            second.close();
            try (var again = slots.take(Duration.ofSeconds(5))) {
                assertThat(again.device()).isEqualTo(second.device());
            }
            first.close();
        }
    }

    @Test
    void theMigrationRunsUnderTheLockAndWaitsForAnotherHolder() throws Exception {
        String name = name("migrations", CRASH_SAFE, "");
        AtomicInteger runs = new AtomicInteger();
        MigrationLock.migrate(name, runs::incrementAndGet, Duration.ofSeconds(5));
        assertThat(runs).hasValue(1);
        try (var lock = NamedSemaphore.open(name, CRASH_SAFE);
             var _ = lock.permit()) {
            assertThatThrownBy(() -> MigrationLock.migrate(name, runs::incrementAndGet, Duration.ofMillis(100)))
                    .isInstanceOf(TimeoutException.class);
        }
        assertThat(runs).hasValue(1);
    }

    @Test
    void thePythonConsumerAnswersThroughTheSemaphores(@TempDir Path dir) throws Exception {
        String name = name("handoff", SemaphoreOptions.defaults());
        Path consumer = Path.of(System.getProperty("namedsem.examples.python"), "consumer.py");
        String answer = PythonHandoff.handOff(name, consumer, "hello from java", dir.resolve("work.txt"));
        assertThat(answer).isEqualTo("HELLO FROM JAVA (handled by Python)");
    }
}
