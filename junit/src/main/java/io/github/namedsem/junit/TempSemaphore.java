package io.github.namedsem.junit;

import io.github.namedsem.SemaphoreKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects a fresh {@link io.github.namedsem.NamedSemaphore} with a unique name into a field or
 * parameter, and closes and unlinks it afterwards — the semaphore counterpart of
 * {@code @TempDir}.
 *
 * <pre>{@code
 * @Test
 * void workersShareTwoPermits(@TempSemaphore(permits = 2) NamedSemaphore sem) {
 *     startWorkers(sem.name());   // child processes open it by name
 * }
 * }</pre>
 *
 * <p>A parameter of a test or lifecycle method, and an instance field, get a semaphore per
 * test; a static field gets one per class. Names are {@code junit-PID-N-RANDOM}, unique on the
 * machine, so tests in other forks and builds never meet. Removal happens after the test's
 * {@code @AfterEach} methods (per class: after {@code @AfterAll}), even when the test fails;
 * other processes that still hold it open keep working on the nameless semaphore.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(TempSemaphoreExtension.class)
public @interface TempSemaphore {
    /**
     * The permits it starts with.
     *
     * @return the initial count, at least 0
     */
    int permits() default 1;

    /**
     * The maximum; {@code -1} means {@link #permits()} (or 1 when that is 0).
     *
     * @return the maximum count
     */
    int maxPermits() default -1;

    /**
     * The kind of semaphore.
     *
     * @return the kind
     */
    SemaphoreKind kind() default SemaphoreKind.STANDARD;
}
