package io.github.namedsem.internal.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.namedsem.internal.SemaphoreName;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The layout of glibc's {@code sem_t} on 64-bit targets since glibc 2.21 ({@code struct new_sem}
 * in nptl's {@code internaltypes.h} with 64-bit atomics): one 64-bit word whose low 32 bits are
 * the count and whose high 32 bits count the registered waiters, then the {@code private} int,
 * which says whether futex calls on the semaphore are process-shared ({@code FUTEX_SHARED}, as for
 * every named semaphore) or private. On little-endian machines the count is the first 32-bit half, the futex word.
 * Every process mapping the file shares this layout, whatever its glibc version.
 */
final class GlibcWord {
    private GlibcWord() {}

    static final long DATA_OFFSET = 0;
    static final long PRIVATE_OFFSET = 8;
    /** SEM_VALUE_MASK: the count's bits. */
    static final long VALUE_MASK = 0xFFFF_FFFFL;
    /** One waiter in the high half (1 << SEM_NWAITERS_SHIFT). */
    static final long ONE_WAITER = 1L << 32;
    /**
     * The private field's two values, glibc's LLL_SHARED and LLL_PRIVATE. glibc turns them into
     * the futex operation as {@code (op | FUTEX_PRIVATE_FLAG) ^ private} ({@code __lll_private_flag}),
     * so the field holds 128 for the shared futexes of named semaphores.
     */
    static final int FUTEX_SHARED = 128;
    static final int FUTEX_PRIVATE = 0;
    private static final int FUTEX_PRIVATE_FLAG = 128;
    static final int SEM_VALUE_MAX = Integer.MAX_VALUE;

    /** The data word; plain, volatile and compare-and-exchange access at {@code (segment, 0L)}. */
    static final VarHandle DATA = JAVA_LONG.varHandle();

    static int value(long data) {
        return (int) data;
    }

    static long waiters(long data) {
        return data >>> 32;
    }

    /**
     * Whether glibc itself could have produced this word: a count of at most SEM_VALUE_MAX
     * (sem_post refuses more) and a waiter count below 2^31 (each one is a thread blocked now,
     * or killed while blocked).
     */
    static boolean possible(long data) {
        return value(data) >= 0 && waiters(data) < (1L << 31);
    }

    /**
     * The futex operation {@code op} as glibc issues it on this semaphore
     * ({@code __lll_private_flag}), from the private field, checked first: any value but 0 and
     * 128 would turn it into another futex operation, on which glibc aborts.
     */
    static int futexOp(SemaphoreName name, MemorySegment sem, int op) {
        int flag = sem.get(JAVA_INT, PRIVATE_OFFSET);
        if (flag != FUTEX_SHARED && flag != FUTEX_PRIVATE) {
            throw SemFile.corrupted(name, "its futex flag (the sem_t's private field) is " + flag
                    + ", which glibc never writes (0 or 128)", 0);
        }
        return (op | FUTEX_PRIVATE_FLAG) ^ flag;
    }

    /** Refuses a {@code sem_t} holding values no glibc writes, before anything acts on it. */
    static void check(SemaphoreName name, MemorySegment sem) {
        long data = (long) DATA.getVolatile(sem, DATA_OFFSET);
        if (!possible(data)) {
            throw impossible(name, data);
        }
        futexOp(name, sem, 0);
    }

    static RuntimeException impossible(SemaphoreName name, long data) {
        return SemFile.corrupted(name, "its count word reads count " + Integer.toUnsignedString(value(data))
                + " and " + waiters(data) + " waiters, which no glibc program writes (the count is at most "
                + SEM_VALUE_MAX + "); nothing was done to it", 0);
    }
}
