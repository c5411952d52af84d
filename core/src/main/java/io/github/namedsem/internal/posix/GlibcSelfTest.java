package io.github.namedsem.internal.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.namedsem.internal.platform.NativeLayouts;
import io.github.namedsem.internal.posix.LibC.Compared;
import io.github.namedsem.internal.SemaphoreName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The start-up self-test of {@link GlibcProtocol}: on a scratch semaphore, created exclusively
 * and unlinked at once, Java and the C library must agree on every step. A class of its own
 * because it runs inside {@code GlibcProtocol}'s class initialisation, and its helper thread
 * must not need that class (it would wait for the initialisation it is part of).
 */
final class GlibcSelfTest {
    private GlibcSelfTest() {}

    /** Runs the checks; returns null if all pass, otherwise what disagreed. */
    static String run() {
        SemaphoreName scratch = SemaphoreName.of("namedsem-selftest-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        SemFile.Opened opened = SemFile.create(scratch, 2, 0600, false);
        SemMapping mapping = opened.mapping();
        Thread[] waiter = new Thread[1];
        try {
            removeName(scratch);
            String layout = compareWithSemOpen(mapping.sem);
            return layout != null ? layout : check(new GlibcSemaphore(scratch, opened, 0), mapping.sem, waiter);
        } finally {
            // A waiter the self-test gave up on is still in sem_timedwait on this mapping, which
            // the call does not hold (it is passed as an address): unmapping it now would let
            // glibc write into whatever is mapped there next, perhaps another semaphore. Leaked
            // then, on purpose: one page, in a process that keeps to the C library anyway.
            if (waiter[0] == null || !waiter[0].isAlive()) {
                mapping.discard();
            }
        }
    }

    /** A semaphore of 2 made by glibc's own sem_open holds exactly the bytes namedsem wrote. */
    @SuppressWarnings("restricted") // sem_open's sem_t, of glibc's known size
    private static String compareWithSemOpen(MemorySegment ours) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            MemorySegment name = arena.allocateFrom("/namedsem-selftest-" + ProcessHandle.current().pid() + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            MemorySegment theirs = MemorySegment.ofAddress(Compared.SEM_OPEN.call(capture, name.address(), Sys.O_CREAT | Sys.O_EXCL, 0600, 2));
            if (LibC.isSemFailed(theirs)) {
                return "sem_open could not create a scratch semaphore (errno " + NativeLayouts.errno(capture) + ")";
            }
            Compared.SEM_UNLINK.call(capture, name);
            try {
                MemorySegment glibc = theirs.reinterpret(SemMapping.SEM_SIZE);
                if (glibc.mismatch(ours) != -1) {
                    return "sem_open initialises a semaphore differently (" + hex(glibc) + ") from namedsem ("
                            + hex(ours) + ")";
                }
                return null;
            } finally {
                Compared.SEM_CLOSE.call(capture, theirs);
            }
        }
    }

    private static String hex(MemorySegment sem) {
        return java.util.HexFormat.of().formatHex(sem.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    private static void removeName(SemaphoreName name) {
        try (Arena arena = Arena.ofConfined()) {
            Sys.unlink(arena.allocate(NativeLayouts.CALL_STATE), arena.allocateFrom(SemFile.pathOf(name)));
        }
    }

    private static String check(GlibcSemaphore java, MemorySegment sem, Thread[] waiter) {
        try (Arena arena = Arena.ofConfined()) {
            return check(java, sem, arena.allocate(NativeLayouts.CALL_STATE), waiter);
        }
    }

    private static String check(GlibcSemaphore java, MemorySegment sem, MemorySegment capture, Thread[] waiter) {
        if (sem.get(JAVA_INT, GlibcWord.PRIVATE_OFFSET) != GlibcWord.FUTEX_SHARED) {
            return "the private field of a new semaphore is not FUTEX_SHARED";
        }
        if (glibcValue(sem) != 2 || java.availablePermits() != 2) {
            return "a new semaphore of 2 reads " + glibcValue(sem) + " in sem_getvalue and " + java.availablePermits() + " in Java";
        }
        if (!java.tryAcquire() || glibcValue(sem) != 1) {
            return "a Java tryAcquire is not seen by sem_getvalue";
        }
        if (Compared.SEM_TRYWAIT.call(capture, sem) != 0 || java.availablePermits() != 0 || Compared.SEM_TRYWAIT.call(capture, sem) == 0 || java.tryAcquire()) {
            return "sem_trywait and Java disagree on the last permit";
        }
        if (java.release(1) != 0 || glibcValue(sem) != 1 || Compared.SEM_POST.call(capture, sem) != 0 || java.availablePermits() != 2) {
            return "Java release and sem_post disagree";
        }
        if (Compared.SEM_TRYWAIT.call(capture, sem) != 0 || Compared.SEM_TRYWAIT.call(capture, sem) != 0) {
            return "sem_trywait cannot take permits released by Java";
        }
        String wake = checkWake(java, sem, waiter);
        if (wake != null) {
            return wake;
        }
        GlibcWord.DATA.setVolatile(sem, GlibcWord.DATA_OFFSET, (long) GlibcWord.SEM_VALUE_MAX);
        try {
            java.release(1);
            return "a Java release past SEM_VALUE_MAX was accepted";
        } catch (io.github.namedsem.PermitLimitExceededException expected) {
            // as sem_post's EOVERFLOW
        }
        if (Compared.SEM_POST.call(capture, sem) == 0 || glibcValue(sem) != GlibcWord.SEM_VALUE_MAX) {
            return "sem_post does not refuse to pass SEM_VALUE_MAX";
        }
        return null;
    }

    private static final int NOT_YET = Integer.MIN_VALUE;

    /**
     * A thread in sem_timedwait is counted as a waiter and woken by a Java release. The thread is
     * left in {@code waiter[0]}, so that the caller keeps the mapping while it may still be in
     * the call.
     */
    private static String checkWake(GlibcSemaphore java, MemorySegment sem, Thread[] waiter) {
        AtomicInteger result = new AtomicInteger(NOT_YET);
        Thread thread = new Thread(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment deadline = arena.allocate(NativeLayouts.TIMESPEC); // zeroed: tv_nsec 0
                // CLOCK_REALTIME, as sem_timedwait wants, read by Java (currentTimeMillis is that
                // clock) rather than by binding clock_gettime for this one call
                deadline.set(JAVA_LONG, 0, System.currentTimeMillis() / 1000 + 120);
                result.set(Compared.SEM_TIMEDWAIT.call(arena.allocate(NativeLayouts.CALL_STATE), sem, deadline));
            }
        }, "namedsem-selftest");
        waiter[0] = thread;
        thread.setDaemon(true);
        thread.start();
        // Bounds generous enough for a machine starting dozens of JVMs at once: each is waited
        // out only when something is wrong, and a wrong answer would cost the whole process
        // its fast path.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (GlibcWord.waiters((long) GlibcWord.DATA.getVolatile(sem, GlibcWord.DATA_OFFSET)) != 1) {
            if (System.nanoTime() - giveUp > 0) {
                return "a thread in sem_timedwait did not show in the waiter count within 60 s";
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // an interrupt makes this spin, bounded, and stays set
        }
        java.release(1);
        giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (result.get() == NOT_YET && System.nanoTime() - giveUp < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        long data = (long) GlibcWord.DATA.getVolatile(sem, GlibcWord.DATA_OFFSET);
        if (result.get() != 0 || data != 0) {
            return "a Java release did not wake a thread in sem_timedwait (result " + result.get() + ", word 0x"
                    + Long.toHexString(data) + ")";
        }
        return null;
    }

    private static int glibcValue(MemorySegment sem) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            Compared.SEM_GETVALUE.call(arena.allocate(NativeLayouts.CALL_STATE), sem, out);
            return out.get(JAVA_INT, 0);
        }
    }
}
