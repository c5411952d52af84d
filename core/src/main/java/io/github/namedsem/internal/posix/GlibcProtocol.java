package io.github.namedsem.internal.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.namedsem.internal.SemaphoreName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Decides once per process whether the standard kind runs glibc's semaphore protocol in Java
 * ({@link GlibcSemaphore} over {@link SemFile}) or calls the C library's {@code sem_*} functions
 * ({@link PosixSemaphore}), and says why through {@link System.Logger} when it falls back.
 *
 * <p>Eligible are glibc 2.21 and later (the 64-bit {@code sem_t} layout) on 64-bit
 * little-endian Linux. An eligible process then proves, on a scratch semaphore created
 * exclusively and unlinked at once, that Java and this glibc agree on the layout: counts
 * changed by Java compare-and-set are what {@code sem_trywait} and {@code sem_getvalue} see and
 * the reverse, the {@code private} field is {@code FUTEX_SHARED}, a thread blocked in
 * {@code sem_timedwait} shows in the waiter count and is woken by a Java release, and
 * {@code SEM_VALUE_MAX} is refused by both. Any disagreement, and the whole process keeps to
 * the C library.
 */
final class GlibcProtocol {
    private GlibcProtocol() {}

    /**
     * Test-only switch: {@code -Dnamedsem.internal.libcOnly=true} keeps the process on the C
     * library's {@code sem_*} calls, so that the fallback stays tested.
     */
    static final String LIBC_ONLY_PROPERTY = "namedsem.internal.libcOnly";

    /** Whether this process runs the protocol in Java. */
    static final boolean ENABLED = decide();

    private static boolean decide() {
        String fallback = whyNot();
        if (fallback != null) {
            System.getLogger("io.github.namedsem").log(System.Logger.Level.WARNING,
                    "namedsem: standard semaphores use the C library's sem_* calls in this process, which are"
                            + " slower and crash the JVM if another program truncates a semaphore file: " + fallback);
        }
        return fallback == null;
    }

    private static String whyNot() {
        if (Boolean.getBoolean(LIBC_ONLY_PROPERTY)) {
            return "-D" + LIBC_ONLY_PROPERTY + "=true asks for it (a switch meant for tests)";
        }
        if (!Sys.SUPPORTED) {
            return "this is not glibc 2.33+ on 64-bit little-endian x86_64 or aarch64 Linux";
        }
        String version = Sys.glibcVersion();
        if (!atLeast(version, 2, 21)) {
            return "glibc " + version + " predates the 64-bit sem_t layout of glibc 2.21";
        }
        try {
            String disagreement = selfTest();
            return disagreement == null ? null : "the start-up self-test found that " + disagreement;
        } catch (RuntimeException | Error e) {
            return "the start-up self-test failed: " + e;
        }
    }

    static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Runs the checks; returns null if all pass, otherwise what disagreed. */
    private static String selfTest() {
        SemaphoreName scratch = SemaphoreName.of("namedsem-selftest-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        SemMapping mapping = SemFile.create(scratch, 2, 0600, false).mapping();
        try {
            removeName(scratch);
            return check(new GlibcSemaphore(scratch, mapping, 0), mapping.sem);
        } finally {
            mapping.release();
        }
    }

    private static void removeName(SemaphoreName name) {
        try (Arena arena = Arena.ofConfined()) {
            Sys.unlink(arena.allocate(LibC.CAPTURE_LAYOUT), arena.allocateFrom(SemFile.pathOf(name)));
        }
    }

    private static String check(GlibcSemaphore java, MemorySegment sem) {
        if (sem.get(JAVA_INT, GlibcWord.PRIVATE_OFFSET) != GlibcWord.FUTEX_SHARED) {
            return "the private field of a new semaphore is not FUTEX_SHARED";
        }
        if (glibcValue(sem) != 2 || java.availablePermits() != 2) {
            return "a new semaphore of 2 reads " + glibcValue(sem) + " in sem_getvalue and " + java.availablePermits() + " in Java";
        }
        if (!java.tryAcquire() || glibcValue(sem) != 1) {
            return "a Java tryAcquire is not seen by sem_getvalue";
        }
        if (LibC.semTrywait(sem) != 0 || java.availablePermits() != 0 || LibC.semTrywait(sem) == 0 || java.tryAcquire()) {
            return "sem_trywait and Java disagree on the last permit";
        }
        if (java.release(1) != 0 || glibcValue(sem) != 1 || LibC.semPost(sem) != 0 || java.availablePermits() != 2) {
            return "Java release and sem_post disagree";
        }
        if (LibC.semTrywait(sem) != 0 || LibC.semTrywait(sem) != 0) {
            return "sem_trywait cannot take permits released by Java";
        }
        String wake = checkWake(java, sem);
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
        if (LibC.semPost(sem) == 0 || glibcValue(sem) != GlibcWord.SEM_VALUE_MAX) {
            return "sem_post does not refuse to pass SEM_VALUE_MAX";
        }
        return null;
    }

    private static final int NOT_YET = Integer.MIN_VALUE;

    /** A thread in sem_timedwait is counted as a waiter and woken by a Java release. */
    private static String checkWake(GlibcSemaphore java, MemorySegment sem) {
        AtomicInteger result = new AtomicInteger(NOT_YET);
        Thread waiter = new Thread(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment deadline = arena.allocate(LibC.TIMESPEC);
                LibC.clockGettime(0, deadline); // CLOCK_REALTIME, as sem_timedwait wants
                deadline.set(JAVA_LONG, 0, deadline.get(JAVA_LONG, 0) + 120);
                result.set(LibC.semTimedwait(arena.allocate(LibC.CAPTURE_LAYOUT), sem, deadline));
            } catch (IllegalStateException selfTestGaveUpAndClosed) {
                // nothing to report: the self-test has already failed
            }
        }, "namedsem-selftest");
        waiter.setDaemon(true);
        waiter.start();
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
            LibC.semGetvalue(sem, out);
            return out.get(JAVA_INT, 0);
        }
    }
}
