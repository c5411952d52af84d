package io.github.namedsem.internal.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.namedsem.internal.platform.Errno;
import io.github.namedsem.internal.platform.NativeLayouts;
import io.github.namedsem.internal.NativeSemaphore;
import io.github.namedsem.internal.platform.Scratch;
import io.github.namedsem.internal.SemaphoreName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
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

    // glibc (since 2.21, on 64-bit targets) keeps the count in the low 32 bits of the sem_t's
    // first 64-bit word, and sem_getvalue does nothing but load it. The layout is shared by
    // every process that maps the semaphore, whatever its glibc version, so it cannot change;
    // reading it directly saves release() a downcall. It is used only where a check at open
    // agrees with sem_getvalue, and sem_getvalue is called everywhere else.
    private static final VarHandle WORD = JAVA_LONG.varHandle();
    private static final long COUNT_MASK = 0xFFFF_FFFFL;
    private final MemorySegment countWord; // null: call sem_getvalue

    private final OptionalInt ownerUid;
    private final boolean ownedByCaller;

    private PosixSemaphore(SemaphoreName name, MemorySegment sem, int maxPermits, int ownerUid) {
        this.name = name;
        this.sem = sem;
        this.maxPermits = maxPermits;
        this.countWord = glibcCountWord(sem);
        this.ownerUid = OptionalInt.of(ownerUid);
        this.ownedByCaller = ownerUid == CALLER_UID;
    }

    /**
     * Wraps a {@code sem_t *} from {@code sem_open}, first checking what glibc mapped: a file
     * shorter than a {@code sem_t} faults on first touch (which the JVM reports as
     * {@link InternalError} for a segment access, but as a crash inside a C function), and a
     * word no glibc writes can make glibc abort. On refusal the semaphore is closed again.
     */
    @SuppressWarnings("restricted") // sem_open's sem_t, of glibc's known size
    static PosixSemaphore validated(SemaphoreName name, MemorySegment sem, int maxPermits) {
        try {
            // sem_open does not look at the size: check it, and read the owner, by name (another
            // process may swap the file in between; namedsem's own mapping checks the descriptor).
            java.nio.file.Path file = java.nio.file.Path.of(SemFile.pathOf(name));
            var attributes = java.nio.file.Files.readAttributes(file, "unix:size,uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            long size = (Long) attributes.get("size");
            if (size < SemMapping.SEM_SIZE) {
                throw SemFile.corrupted(name, file + " is " + size + " bytes long, shorter than a semaphore ("
                        + SemMapping.SEM_SIZE + " bytes), owned by uid " + attributes.get("uid"), 0);
            }
            if (LibC.GLIBC && ADDRESS.byteSize() == 8 && java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN) {
                GlibcWord.check(name, sem.reinterpret(SemMapping.SEM_SIZE));
            }
            return new PosixSemaphore(name, sem, maxPermits, (Integer) attributes.get("uid"));
        } catch (RuntimeException | InternalError | java.io.IOException e) {
            try (Arena arena = Arena.ofConfined()) {
                LibC.semClose(arena.allocate(NativeLayouts.CALL_STATE), sem);
            }
            if (e instanceof InternalError) {
                throw SemFile.corrupted(name, SemFile.pathOf(name) + " is shorter than a semaphore ("
                        + SemMapping.SEM_SIZE + " bytes): reading it faulted", 0);
            }
            if (e instanceof java.io.IOException io) {
                throw SemFile.corrupted(name, "its file cannot be examined (" + io + ")", 0);
            }
            throw (RuntimeException) e;
        }
    }

    // The user this process runs as: the owner of its /proc/self (the C library fallback has no
    // geteuid binding of its own; the mapped path asks the kernel directly).
    private static final int CALLER_UID = callerUid();

    private static int callerUid() {
        try {
            return (Integer) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    @Override
    public OptionalInt ownerUid() {
        return ownerUid;
    }

    @Override
    public boolean ownedByCaller() {
        return ownedByCaller;
    }

    @SuppressWarnings("restricted") // the first word of sem_open's sem_t
    private MemorySegment glibcCountWord(MemorySegment sem) {
        if (!LibC.GLIBC || ADDRESS.byteSize() != 8) {
            return null;
        }
        MemorySegment word = sem.reinterpret(JAVA_LONG.byteSize());
        for (int attempt = 0; attempt < 3; attempt++) { // other processes may post in between
            try {
                if ((int) ((long) WORD.getVolatile(word, 0L) & COUNT_MASK) == countBySemGetvalue()) {
                    return word;
                }
            } catch (IllegalArgumentException | IllegalStateException misaligned) {
                return null;
            }
        }
        return null;
    }

    @Override
    public boolean tryAcquire() {
        return LibC.semTrywait(sem) == 0; // the only failure on a valid sem_t: EAGAIN
    }

    /** The out-parameters of a timed wait: the deadline and the captured errno. */
    private record WaitOut(MemorySegment deadline, MemorySegment capture) {
        static WaitOut allocate() {
            Arena arena = Arena.ofAuto();
            return new WaitOut(arena.allocate(NativeLayouts.TIMESPEC), arena.allocate(NativeLayouts.CALL_STATE));
        }
    }

    // Reused so that waking from a wait allocates nothing: a hand-off between processes is
    // a hot path too.
    private final Scratch<WaitOut> waitOut = new Scratch<>(WaitOut::allocate);

    @Override
    public boolean awaitPermit(long nanos) {
        WaitOut out = waitOut.take();
        try {
            MemorySegment deadline = out.deadline();
            boolean monotonic = LibC.hasSemClockwait();
            LibC.clockGettime(monotonic ? CLOCK_MONOTONIC : CLOCK_REALTIME, deadline);
            long sec = NativeLayouts.seconds(deadline) + nanos / NANOS_PER_SECOND;
            long nsec = NativeLayouts.nanos(deadline) + nanos % NANOS_PER_SECOND;
            if (nsec >= NANOS_PER_SECOND) {
                sec++;
                nsec -= NANOS_PER_SECOND;
            }
            NativeLayouts.setTimespec(deadline, sec, nsec);
            int rc = monotonic
                    ? LibC.semClockwait(out.capture(), sem, CLOCK_MONOTONIC, deadline)
                    : LibC.semTimedwait(out.capture(), sem, deadline);
            if (rc == 0) {
                return true;
            }
            int errno = NativeLayouts.errno(out.capture());
            if (errno == Errno.ETIMEDOUT || errno == Errno.EINTR) {
                return false;
            }
            throw PosixErrors.failure(monotonic ? "sem_clockwait" : "sem_timedwait", name, errno);
        } finally {
            waitOut.give(out);
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
        if (countWord != null) {
            return (int) ((long) WORD.getVolatile(countWord, 0L) & COUNT_MASK);
        }
        return countBySemGetvalue();
    }

    private int countBySemGetvalue() {
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
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            if (LibC.semClose(capture, sem) != 0) {
                throw PosixErrors.failure("sem_close", name, NativeLayouts.errno(capture));
            }
        }
    }
}
