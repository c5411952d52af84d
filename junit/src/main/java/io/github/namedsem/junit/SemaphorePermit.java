package io.github.namedsem.junit;

import io.github.namedsem.SemaphoreKind;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Holds a permit of the named semaphore {@link #value()} while the annotated test runs: across
 * threads, Surefire forks, concurrent builds on one machine and programs in other languages —
 * where JUnit's {@code @ResourceLock} only orders tests inside one JVM.
 *
 * <pre>{@code
 * @SemaphorePermit("integration-db")            // one test class at a time, machine-wide
 * class OrderRepositoryTest { ... }
 *
 * @Test
 * @SemaphorePermit(value = "gpu", permits = 2)  // at most 2 of these tests at once
 * void trainsOnTheGpu() { ... }
 * }</pre>
 *
 * <p><b>When the permit is held.</b> On a class: from before its {@code @BeforeAll} methods to
 * after its {@code @AfterAll} methods. On a method: from before its {@code @BeforeEach} methods
 * to after its {@code @AfterEach} methods. A method annotated with a name its class already
 * holds runs under the class's permit (no second permit, no self-deadlock).
 *
 * <p><b>Creation.</b> The first user creates the semaphore with {@link #permits()} permits
 * ({@code openOrCreate}); later users open it as it is. It is left in place afterwards — other
 * builds share it — and costs one kernel object.
 *
 * <p><b>Crashes.</b> The default kind is {@link SemaphoreKind#CRASH_SAFE}: when a fork is
 * killed (a timeout, {@code kill -9}, an out-of-memory kill) the kernel gives its permit back,
 * so the next build does not wait forever. Use {@link SemaphoreKind#STANDARD} to share the
 * semaphore with programs that open POSIX semaphores by name.
 *
 * <p><b>Waiting.</b> A test that gets no permit within {@link #timeout()} fails with a message
 * naming the semaphore and how to inspect it; it does not run.
 *
 * <p><b>Isolation.</b> The JUnit configuration parameter (or system property) {@value
 * SemaphorePermitExtension#NAME_PREFIX} is put in front of every name, e.g. to give each CI
 * agent or branch its own semaphores.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SemaphorePermitExtension.class)
public @interface SemaphorePermit {
    /**
     * The semaphore's name, by the rule of {@link io.github.namedsem.NamedSemaphore}.
     *
     * @return the name
     */
    String value();

    /**
     * How many tests may hold a permit at once, if this test creates the semaphore.
     *
     * @return the number of permits, at least 1
     */
    int permits() default 1;

    /**
     * How long to wait for a permit before failing the test.
     *
     * @return the timeout in {@link #timeoutUnit()}
     */
    long timeout() default 10;

    /**
     * The unit of {@link #timeout()}.
     *
     * @return the unit
     */
    TimeUnit timeoutUnit() default TimeUnit.MINUTES;

    /**
     * The kind of semaphore; crash-safe by default, so a killed fork gives its permit back.
     *
     * @return the kind
     */
    SemaphoreKind kind() default SemaphoreKind.CRASH_SAFE;
}
