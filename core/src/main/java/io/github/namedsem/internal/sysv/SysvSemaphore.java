package io.github.namedsem.internal.sysv;

import io.github.namedsem.internal.platform.Errno;
import io.github.namedsem.internal.platform.NativeLayouts;
import io.github.namedsem.internal.NativeSemaphore;
import io.github.namedsem.internal.platform.Scratch;
import io.github.namedsem.internal.SemaphoreName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One System V set of the crash-safe kind: semaphore 0 counts the free permits, semaphore 1
 * the headroom to the maximum (so their sum is the maximum), semaphore 2 is 1 once the creator
 * has initialised the set, semaphores 3 and 4 hold the name's identity ({@link SysvKeys#identityOf}),
 * which {@link SysvSets} checks before the set is used or removed. Every acquire and release changes 0 and 1 together in one atomic
 * {@code semop}, with {@code SEM_UNDO}, so the kernel reverses them when the process exits.
 */
final class SysvSemaphore implements NativeSemaphore {
    static final int COUNT = 0;
    static final int HEADROOM = 1;
    static final int INITIALISED = 2;
    static final int ID_LOW = 3;
    static final int ID_HIGH = 4;
    static final int NSEMS = 5;

    /**
     * Permits each set's users in this process hold. SEM_UNDO books adjustments per process, so
     * a permit must be released by the process that took it: a release by another process
     * would be undone again when the acquirer exits, and the count would drift.
     */
    private static final Map<Integer, AtomicInteger> HELD = new ConcurrentHashMap<>();

    /** Out-parameters of one call. */
    private record Out(MemorySegment capture, MemorySegment sops, MemorySegment timeout) {
        static Out allocate() {
            Arena arena = Arena.ofAuto();
            return new Out(arena.allocate(NativeLayouts.CALL_STATE), arena.allocate(MemoryLayout.sequenceLayout(2, NativeLayouts.SEMBUF)),
                    arena.allocate(NativeLayouts.TIMESPEC));
        }
    }

    private final SemaphoreName name;
    private final String osName;
    private final int semid;
    private final int maxPermits;
    private final AtomicInteger held;
    private final Scratch<Out> scratch = new Scratch<>(Out::allocate);
    private final Scratch<Out> waitScratch = new Scratch<>(Out::allocate);

    /**
     * @param semid a set that {@link SysvSets#find} found to be this name's
     * @param maxPermits its count plus headroom, as found
     */
    SysvSemaphore(SemaphoreName name, int semid, int maxPermits) {
        this.name = name;
        this.osName = SysvKeys.osName(name);
        this.semid = semid;
        this.held = HELD.computeIfAbsent(semid, id -> new AtomicInteger());
        this.maxPermits = maxPermits;
    }

    @Override
    public boolean tryAcquire() {
        return acquire(scratch, 1, SysV.IPC_NOWAIT, -1);
    }

    @Override
    public boolean awaitPermit(long nanos) {
        return acquire(waitScratch, 1, 0, nanos);
    }

    /** One {@code semop} changes both semaphores by any amount, so K permits are one step. */
    @Override
    public boolean takesSeveralAtomically() {
        return true;
    }

    @Override
    public boolean tryAcquire(int permits) {
        return acquire(scratch, permits, SysV.IPC_NOWAIT, -1);
    }

    @Override
    public boolean awaitPermits(int permits, long nanos) {
        return acquire(waitScratch, permits, 0, nanos);
    }

    /**
     * Takes {@code permits} permits and as many headroom slots back in one atomic step, with
     * SEM_UNDO.
     *
     * @param permits how many, at least 1
     * @param flags {@code IPC_NOWAIT} not to wait, or 0
     * @param nanos how long to wait, or negative for no timeout (only with {@code IPC_NOWAIT})
     */
    private boolean acquire(Scratch<Out> pool, int permits, int flags, long nanos) {
        Out out = pool.take();
        try {
            NativeLayouts.setSembuf(out.sops(), 0, COUNT, -permits, SysV.SEM_UNDO | flags);
            NativeLayouts.setSembuf(out.sops(), 1, HEADROOM, +permits, SysV.SEM_UNDO | flags);
            MemorySegment timeout = MemorySegment.NULL;
            if (nanos >= 0) {
                // Relative, and measured by the kernel on CLOCK_MONOTONIC.
                timeout = out.timeout();
                NativeLayouts.setTimespec(timeout, nanos / 1_000_000_000L, nanos % 1_000_000_000L);
            }
            // semtimedop with a NULL timeout is semop.
            if (SysV.semtimedop(out.capture(), semid, out.sops(), 2, timeout) == 0) {
                held.addAndGet(permits);
                return true;
            }
            int errno = NativeLayouts.errno(out.capture());
            if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                return false; // no permit free, the time ran out, or a signal: callers loop
            }
            throw SysvErrors.failure("semtimedop", name, errno);
        } finally {
            pool.give(out);
        }
    }

    @Override
    public int release(int permits) {
        reserveHeld(permits);
        // From here on the permits are this call's alone: a concurrent release in this process
        // sees them gone, so two threads can never both release one held permit (which would
        // leave the kernel's undo record short, and the count above the maximum once another
        // holder exits). A failure below gives them back.
        boolean released = false;
        Out out = scratch.take();
        try {
            // Read with the out-parameters already taken: taking the scratch again here would
            // find it in use and allocate a fresh set on every release.
            int before = count(out);
            NativeLayouts.setSembuf(out.sops(), 0, HEADROOM, -permits, SysV.SEM_UNDO | SysV.IPC_NOWAIT);
            NativeLayouts.setSembuf(out.sops(), 1, COUNT, +permits, SysV.SEM_UNDO | SysV.IPC_NOWAIT);
            if (SysV.semop(out.capture(), semid, out.sops(), 2) == 0) {
                released = true;
                return before;
            }
            int errno = NativeLayouts.errno(out.capture());
            if (errno == Errno.EAGAIN || errno == Errno.ERANGE) {
                throw SysvErrors.limitExceeded(name, permits, count(out), maxPermits);
            }
            throw SysvErrors.failure("semop", name, errno);
        } finally {
            scratch.give(out);
            if (!released) {
                held.addAndGet(permits);
            }
        }
    }

    /** Takes {@code permits} off this process's holdings in one atomic step, or fails changing nothing. */
    private void reserveHeld(int permits) {
        for (;;) {
            int mine = held.get();
            if (permits > mine) {
                throw new IllegalStateException("This process holds " + mine + " permit(s) of " + SysvErrors.describe(name)
                        + " and cannot release " + permits + ": a crash-safe permit must be released by the process that"
                        + " acquired it (the kernel undoes each process's own operations when it exits). Nothing was released.");
            }
            if (held.compareAndSet(mine, mine - permits)) {
                return;
            }
        }
    }

    @Override
    public int availablePermits() {
        Out out = scratch.take();
        try {
            return count(out);
        } finally {
            scratch.give(out);
        }
    }

    private int count(Out out) {
        int value = SysV.semctl(out.capture(), semid, COUNT, SysV.GETVAL);
        if (value < 0) {
            throw SysvErrors.failure("semctl(GETVAL)", name, NativeLayouts.errno(out.capture()));
        }
        return value;
    }

    @Override
    public OptionalInt maxPermits() {
        return OptionalInt.of(maxPermits);
    }

    /** {@code semctl(GETNCNT)}: the processes blocked in a semop that takes from the count. */
    @Override
    public OptionalInt waiters() {
        int n = query(COUNT, SysV.GETNCNT, "semctl(GETNCNT)");
        return OptionalInt.of(n);
    }

    /** {@code semctl(GETPID)}: the process that made the last semop on the count. */
    @Override
    public OptionalLong lastOperationPid() {
        int pid = query(COUNT, SysV.GETPID, "semctl(GETPID)");
        return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    private int query(int semnum, int cmd, String call) {
        Out out = scratch.take();
        try {
            int value = SysV.semctl(out.capture(), semid, semnum, cmd);
            if (value < 0) {
                throw SysvErrors.failure(call, name, NativeLayouts.errno(out.capture()));
            }
            return value;
        } finally {
            scratch.give(out);
        }
    }

    @Override
    public String osName() {
        return osName;
    }

    @Override
    public void close() {
        // A System V set needs no closing: the semid is just a number. What this process still
        // holds stays held until it releases or exits, when the kernel gives it back.
    }
}
