package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The uncontended tryAcquire()/release() path allocates nothing on the Java heap, for every kind. */
interface HotPathContract extends KindFixture {

    private static long allocatedByThisThread() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    @Test
    default void uncontendedTryAcquireAndReleaseAllocateNothing() {
        try (var sem = create(name("hot"), 1)) {
            for (int i = 0; i < 300_000; i++) { // let the JIT compile the path first
                cycle(sem);
            }
            long before = allocatedByThisThread();
            for (int i = 0; i < 100_000; i++) {
                cycle(sem);
            }
            long allocated = allocatedByThisThread() - before;
            // Reading the counter itself may allocate a little; 100,000 cycles of even one
            // small object each would be megabytes.
            assertThat(allocated).as("bytes allocated by 100,000 cycles on %s", kind()).isLessThan(4_096);
        }
    }

    private static void cycle(NamedSemaphore sem) {
        if (!sem.tryAcquire()) {
            throw new AssertionError("no permit");
        }
        sem.release();
    }
}
