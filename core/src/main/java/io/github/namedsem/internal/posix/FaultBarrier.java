package io.github.namedsem.internal.posix;

/**
 * A point where an asynchronous memory fault is delivered inside the caller's {@code try}.
 *
 * <p>A fault on mapped memory (SIGBUS: the file was truncated) does not throw at the faulting
 * access: the JVM records it and throws {@link InternalError} at the thread's next safepoint
 * poll, which in compiled code may be several frames further up, in the application's loop. A
 * method the JIT never inlines has a poll where it returns, and what that poll throws is thrown
 * at the call, so calling {@link #deliverPendingFault()} right after the accesses makes the
 * fault surface where {@link GlibcSemaphore} catches it. Its cost is one call and return (about
 * a nanosecond); it is kept from being inlined by its size, beyond the JIT's limits for inlining
 * (C2's FreqInlineSize, 325 bytes of bytecode; C1's MaxInlineSize, 35), in code that never runs.
 */
final class FaultBarrier {
    private FaultBarrier() {}

    // Never true, but not a compile-time constant, so javac keeps the code below (and its size);
    // the JIT drops it when it compiles this method on its own.
    private static final boolean NEVER = Boolean.getBoolean("namedsem.internal.faultBarrier.never");
    private static final long[] SINK = new long[8];

    /** Returns at once; a fault pending since the last access is thrown here, at the call. */
    static void deliverPendingFault() {
        if (NEVER) {
            SINK[0] += SINK[3] * 7 ^ SINK[5];
            SINK[1] += SINK[4] * 8 ^ SINK[6];
            SINK[2] += SINK[5] * 9 ^ SINK[7];
            SINK[3] += SINK[6] * 10 ^ SINK[0];
            SINK[4] += SINK[7] * 11 ^ SINK[1];
            SINK[5] += SINK[0] * 12 ^ SINK[2];
            SINK[6] += SINK[1] * 13 ^ SINK[3];
            SINK[7] += SINK[2] * 14 ^ SINK[4];
            SINK[0] += SINK[3] * 15 ^ SINK[5];
            SINK[1] += SINK[4] * 16 ^ SINK[6];
            SINK[2] += SINK[5] * 17 ^ SINK[7];
            SINK[3] += SINK[6] * 18 ^ SINK[0];
            SINK[4] += SINK[7] * 19 ^ SINK[1];
            SINK[5] += SINK[0] * 20 ^ SINK[2];
            SINK[6] += SINK[1] * 21 ^ SINK[3];
            SINK[7] += SINK[2] * 22 ^ SINK[4];
            SINK[0] += SINK[3] * 23 ^ SINK[5];
            SINK[1] += SINK[4] * 24 ^ SINK[6];
            SINK[2] += SINK[5] * 25 ^ SINK[7];
            SINK[3] += SINK[6] * 26 ^ SINK[0];
            SINK[4] += SINK[7] * 27 ^ SINK[1];
            SINK[5] += SINK[0] * 28 ^ SINK[2];
            SINK[6] += SINK[1] * 29 ^ SINK[3];
            SINK[7] += SINK[2] * 30 ^ SINK[4];
            SINK[0] += SINK[3] * 31 ^ SINK[5];
            SINK[1] += SINK[4] * 32 ^ SINK[6];
            SINK[2] += SINK[5] * 33 ^ SINK[7];
            SINK[3] += SINK[6] * 34 ^ SINK[0];
            SINK[4] += SINK[7] * 35 ^ SINK[1];
            SINK[5] += SINK[0] * 36 ^ SINK[2];
            SINK[6] += SINK[1] * 37 ^ SINK[3];
            SINK[7] += SINK[2] * 38 ^ SINK[4];
            SINK[0] += SINK[3] * 39 ^ SINK[5];
            SINK[1] += SINK[4] * 40 ^ SINK[6];
            SINK[2] += SINK[5] * 41 ^ SINK[7];
            SINK[3] += SINK[6] * 42 ^ SINK[0];
            SINK[4] += SINK[7] * 43 ^ SINK[1];
            SINK[5] += SINK[0] * 44 ^ SINK[2];
            SINK[6] += SINK[1] * 45 ^ SINK[3];
            SINK[7] += SINK[2] * 46 ^ SINK[4];
        }
    }
}
