package io.github.namedsem.internal.sysv;

import static io.github.namedsem.SemaphoreKind.CRASH_SAFE;
import static io.github.namedsem.internal.sysv.SysvSemaphore.COUNT;
import static io.github.namedsem.internal.sysv.SysvSemaphore.HEADROOM;
import static io.github.namedsem.internal.sysv.SysvSemaphore.ID_HIGH;
import static io.github.namedsem.internal.sysv.SysvSemaphore.ID_LOW;
import static io.github.namedsem.internal.sysv.SysvSemaphore.INITIALISED;
import static io.github.namedsem.internal.sysv.SysvSemaphore.NSEMS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.internal.platform.Errno;
import io.github.namedsem.internal.platform.NativeLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Finds the set under a name's key and checks that it is that name's before namedsem uses or
 * removes it: the marker file alone cannot tell (anyone may delete or plant one, and two names
 * may share a key), so the set carries its own identity, a second hash of the name (see
 * {@link SysvKeys#identityOf}), and must have exactly {@value SysvSemaphore#NSEMS} semaphores.
 */
final class SysvSets {
    private SysvSets() {}

    private static final long INIT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Larger than {@code struct semid_ds} on every 64-bit Linux (about 100 bytes). */
    private static final long SEMID_DS_SIZE = 256;
    /** Offsets in {@code struct ipc_perm}, which starts {@code semid_ds}; the same on x86_64 and aarch64. */
    private static final long PERM_UID = 4;
    private static final long PERM_CUID = 12;

    /** What the set under a key is. */
    enum Verdict {
        /** The named set, initialised. */
        OURS,
        /** The right shape, but its creator never initialised it (it died between semget and SETALL). */
        UNINITIALISED,
        /** Another name's or another program's set: never used, never removed. */
        FOREIGN
    }

    /**
     * The set found under a key.
     *
     * @param semid its id
     * @param ownerUid its owner
     * @param creatorUid its creator
     * @param maxPermits count plus headroom, for {@link Verdict#OURS}
     * @param verdict whether it is the named set
     * @param why for {@link Verdict#FOREIGN}, what failed
     */
    record Found(int semid, int ownerUid, int creatorUid, int maxPermits, Verdict verdict, String why) {}

    /**
     * Looks up and checks the set under a name's key.
     *
     * @param awaitInitialised wait (with back-off, at most 5 s) for a creator to initialise it
     * @return the set, or {@code null} if there is none
     */
    static Found find(SemaphoreName name, int key, boolean awaitInitialised) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            int semid = SysV.semget(capture, key, 0, 0);
            if (semid < 0) {
                if (NativeLayouts.errno(capture) == Errno.ENOENT) {
                    return null;
                }
                throw SysvErrors.failure("semget", name, NativeLayouts.errno(capture));
            }
            MemorySegment stat = arena.allocate(SEMID_DS_SIZE, 8);
            if (SysV.semctlArray(capture, semid, SysV.IPC_STAT, stat) != 0) {
                int errno = NativeLayouts.errno(capture);
                if (errno == Errno.EIDRM || errno == Errno.EINVAL) {
                    return null; // removed since semget
                }
                throw SysvErrors.failure("semctl(IPC_STAT)", name, errno);
            }
            int owner = stat.get(JAVA_INT, PERM_UID);
            int creator = stat.get(JAVA_INT, PERM_CUID);
            // Exactly NSEMS semaphores: the last must exist and the next must not. (GETALL into a
            // buffer of NSEMS would overflow it on a larger foreign set.)
            if (SysV.semctl(capture, semid, NSEMS - 1, SysV.GETVAL) < 0) {
                // EINVAL also when the set was removed since IPC_STAT: a set that is gone is
                // no smaller foreign set, just none.
                if (SysV.semctlArray(capture, semid, SysV.IPC_STAT, stat) != 0) {
                    return null;
                }
                return new Found(semid, owner, creator, 0, Verdict.FOREIGN, "it has fewer than " + NSEMS + " semaphores");
            }
            if (SysV.semctl(capture, semid, NSEMS, SysV.GETVAL) >= 0 || NativeLayouts.errno(capture) != Errno.EINVAL) {
                return new Found(semid, owner, creator, 0, Verdict.FOREIGN, "it has more than " + NSEMS + " semaphores");
            }
            if (!initialised(name, semid, capture, awaitInitialised)) {
                return new Found(semid, owner, creator, 0, Verdict.UNINITIALISED, "it was never initialised");
            }
            MemorySegment values = arena.allocate(MemoryLayout.sequenceLayout(NSEMS, JAVA_SHORT));
            if (SysV.semctlArray(capture, semid, SysV.GETALL, values) != 0) {
                throw SysvErrors.failure("semctl(GETALL)", name, NativeLayouts.errno(capture));
            }
            int identity = SysvKeys.identityOf(name);
            int low = value(values, ID_LOW);
            int high = value(values, ID_HIGH);
            if (low != (identity & 0x7FFF) || high != identity >>> 15) {
                return new Found(semid, owner, creator, 0, Verdict.FOREIGN, String.format("its identity semaphores %d and %d"
                        + " hold %d and %d, not %d and %d: it is another name's with the same key, or another program's",
                        ID_LOW, ID_HIGH, low, high, identity & 0x7FFF, identity >>> 15));
            }
            return new Found(semid, owner, creator, value(values, COUNT) + value(values, HEADROOM), Verdict.OURS, null);
        }
    }

    private static int value(MemorySegment values, int semnum) {
        return Short.toUnsignedInt(values.get(JAVA_SHORT, 2L * semnum));
    }

    /**
     * Whether the creator's SETALL has set the "initialised" semaphore, waiting for it if asked.
     * The creator's next system call sets it, so the wait starts with a few spins, then parks
     * for doubling pauses up to 20 ms: a creator that died never sets it, and waiting for it
     * must not burn a CPU for the whole 5 s.
     */
    private static boolean initialised(SemaphoreName name, int semid, MemorySegment capture, boolean await) {
        long deadline = System.nanoTime() + INIT_WAIT_NANOS;
        long pause = TimeUnit.MICROSECONDS.toNanos(10);
        for (int round = 0; ; round++) {
            int flag = SysV.semctl(capture, semid, INITIALISED, SysV.GETVAL);
            if (flag == 1) {
                return true;
            }
            if (flag < 0) {
                throw SysvErrors.failure("semctl(GETVAL)", name, NativeLayouts.errno(capture));
            }
            if (!await || System.nanoTime() - deadline > 0) {
                return false;
            }
            if (round < 20) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
            }
        }
    }

    /** The exception for a set under the key that is not the named one: what it is, and what to do. */
    static NamedSemaphoreException notOurs(SemaphoreName name, int key, Found found) {
        String advice = found.verdict() == Verdict.UNINITIALISED
                ? " Its creator died between semget and semctl(SETALL)."
                + " Remove it with NamedSemaphore.unlink(name, crash-safe options) and create it again."
                : " namedsem neither uses nor removes it. Choose another name, or, if you know the set is stale,"
                + " remove it with ipcrm -s " + found.semid() + ".";
        return new NamedSemaphoreException(String.format("A System V set exists under key 0x%08x (id %d, created by uid %d)"
                + " but it is not the crash-safe semaphore %s: %s.", key, found.semid(), found.creatorUid(), name.portable(),
                found.why()) + advice, name.portable(), SysvKeys.osName(name), CRASH_SAFE, Errno.EEXIST, "EEXIST");
    }
}
