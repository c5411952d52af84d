package io.github.namedsem.internal.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.namedsem.internal.NativeSemaphore;
import io.github.namedsem.internal.Scratch;
import io.github.namedsem.internal.SemaphoreName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;

/**
 * One {@code sem_t *} from {@code sem_open}. Callers guarantee, through the handle guard, that
 * no method runs after or during {@link #close()}.
 */
final class PosixSemaphore implements NativeSemaphore {
    /** {@code SEM_VALUE_MAX} on Linux: the kernel's only limit on a POSIX semaphore's count. */
    static final int SEM_VALUE_MAX = Integer.MAX_VALUE;
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_MONOTONIC = 1;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final SemaphoreName name;
    private final MemorySegment sem;
    private final int maxPermits; // 0: unknown
    // sem_getvalue's out-parameter, reused so that release() and availablePermits() allocate nothing.
    private final Scratch<MemorySegment> valueOut = new Scratch<>(() -> Arena.ofAuto().allocate(JAVA_INT));

    PosixSemaphore(SemaphoreName name, MemorySegment sem, int maxPermits) {
        this.name = name;
        this.sem = sem;
        this.maxPermits = maxPermits;
    }

    @Override
    public boolean tryAcquire() {
        return LibC.semTrywait(sem) == 0; // the only failure on a valid sem_t: EAGAIN
    }

    @Override
    public boolean awaitPermit(long nanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment deadline = arena.allocate(LibC.TIMESPEC);
            MemorySegment capture = arena.allocate(LibC.CAPTURE_LAYOUT);
            boolean monotonic = LibC.hasSemClockwait();
            LibC.clockGettime(monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME, deadline);
            long sec = deadline.get(JAVA_LONG, 0) + nanos / NANOS_PER_SECOND;
            long nsec = deadline.get(JAVA_LONG, 8) + nanos % NANOS_PER_SECOND;
            if (nsec >= NANOS_PER_SECOND) {
                sec++;
                nsec -= NANOS_PER_SECOND;
            }
            deadline.set(JAVA_LONG, 0, sec);
            deadline.set(JAVA_LONG, 8, nsec);
            int rc = monotonic
                    ? LibC.semClockwait(capture, sem, CLOCK_MONOTONIC, deadline)
                    : LibC.semTimedwait(capture, sem, deadline);
            if (rc == 0) {
                return true;
            }
            int errno = LibC.errno(capture);
            if (errno == Errno.ETIMEDOUT || errno == Errno.EINTR) {
                return false;
            }
            throw PosixErrors.failure(monotonic ? "sem_clockwait" : "sem_timedwait", name, errno);
        }
    }

    @Override
    public int release(int permits) {
        int before = availablePermits();
        long after = (long) before + permits;
        if (maxPermits > 0 && after > maxPermits) {
            throw PosixErrors.limitExceeded(name, before, permits, maxPermits, "the maximum given to this handle");
        }
        if (after > SEM_VALUE_MAX) {
            throw PosixErrors.limitExceeded(name, before, permits, SEM_VALUE_MAX, "SEM_VALUE_MAX");
        }
        for (int i = 0; i < permits; i++) {
            if (LibC.semPost(sem) != 0) { // EOVERFLOW: other processes raised it meanwhile
                throw PosixErrors.limitExceeded(name, before + i, permits - i, SEM_VALUE_MAX,
                        "SEM_VALUE_MAX (after " + i + " of the permits were released)");
            }
        }
        return before;
    }

    @Override
    public int availablePermits() {
        MemorySegment out = valueOut.take();
        try {
            LibC.semGetvalue(sem, out); // cannot fail on a valid sem_t
            return Math.max(0, out.get(JAVA_INT, 0)); // POSIX allows a negative waiter count; Linux never reports one
        } finally {
            valueOut.give(out);
        }
    }

    @Override
    public OptionalInt maxPermits() {
        return maxPermits > 0 ? OptionalInt.of(maxPermits) : OptionalInt.empty();
    }

    @Override
    public String osName() {
        return name.posix();
    }

    @Override
    public void close() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(LibC.CAPTURE_LAYOUT);
            if (LibC.semClose(capture, sem) != 0) {
                throw PosixErrors.failure("sem_close", name, LibC.errno(capture));
            }
        }
    }
}
