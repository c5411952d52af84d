package io.github.namedsem.internal.posix;

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
        // SUPPORTED means glibc 2.33 or later (it exports fstat), past the 64-bit sem_t of 2.21.
        try {
            String disagreement = GlibcSelfTest.run();
            return disagreement == null ? null : "the start-up self-test found that " + disagreement;
        } catch (RuntimeException | Error e) {
            return "the start-up self-test failed: " + e;
        }
    }
}
