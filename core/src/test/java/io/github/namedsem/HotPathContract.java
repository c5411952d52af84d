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
            // A kind whose operations are network round trips allocates its messages: it is
            // held to a per-cycle budget over fewer cycles instead of to nothing.
            int cycles = operationsAreLocal() ? 100_000 : 200;
            long budget = operationsAreLocal() ? 4_096 : cycles * 64L * 1024;
            for (int i = 0; i < 3 * cycles; i++) { // let the JIT compile the path first
                cycle(sem);
            }
            long before = allocatedByThisThread();
            for (int i = 0; i < cycles; i++) {
                cycle(sem);
            }
            long allocated = allocatedByThisThread() - before;
            // Reading the counter itself may allocate a little; 100,000 cycles of even one
            // small object each would be megabytes.
            assertThat(allocated).as("bytes allocated by %d cycles on %s", cycles, kind()).isLessThan(budget);
        }
    }

    private static void cycle(NamedSemaphore sem) {
        if (!sem.tryAcquire()) {
            throw new AssertionError("no permit");
        }
        sem.release();
    }
}
