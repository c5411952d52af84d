package io.github.namedsem.internal.platform;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The C structures namedsem passes to the operating system, each defined once, with field
 * access derived from the layout instead of byte offsets written by hand.
 */
public final class NativeLayouts {
    private NativeLayouts() {}

    /** {@code struct timespec { time_t tv_sec; long tv_nsec; }} on the 64-bit ABIs supported. */
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));

    /*
     * The field handles live in holder classes, made at their first use: each VarHandle costs
     * generated code at start-up, and a process needs only those of the calls it makes (a short
     * 'namedsem run' on the standard kind none: errno is read at its offset).
     */
    private static final class Timespec {
        static final VarHandle TV_SEC = field(TIMESPEC, "tv_sec");
        static final VarHandle TV_NSEC = field(TIMESPEC, "tv_nsec");
    }

    /** {@code struct sembuf { unsigned short sem_num; short sem_op; short sem_flg; }}: 6 bytes. */
    public static final StructLayout SEMBUF = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sem_num"), JAVA_SHORT.withName("sem_op"), JAVA_SHORT.withName("sem_flg"));

    private static final class Sembuf {
        static final VarHandle SEM_NUM = arrayField(SEMBUF, "sem_num");
        static final VarHandle SEM_OP = arrayField(SEMBUF, "sem_op");
        static final VarHandle SEM_FLG = arrayField(SEMBUF, "sem_flg");
    }

    /** {@code struct SEMAPHORE_BASIC_INFORMATION { LONG CurrentCount; LONG MaximumCount; }}: 8 bytes. */
    public static final StructLayout SEMAPHORE_BASIC_INFORMATION = MemoryLayout.structLayout(
            JAVA_INT.withName("CurrentCount"), JAVA_INT.withName("MaximumCount"));

    private static final class SemaphoreInfo {
        static final VarHandle CURRENT_COUNT = field(SEMAPHORE_BASIC_INFORMATION, "CurrentCount");
        static final VarHandle MAXIMUM_COUNT = field(SEMAPHORE_BASIC_INFORMATION, "MaximumCount");
    }

    /**
     * What {@link Linker.Option#captureCallState} writes: on Linux it has {@code errno}, on
     * Windows {@code GetLastError} (and {@code WSAGetLastError}, {@code errno}).
     */
    public static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();

    /** Makes a downcall write {@code errno} into its {@link #CALL_STATE} segment. */
    public static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    // An offset rather than a VarHandle of the field: a plain int read needs no handle of its own,
    // and making one generates code at the start of every process.
    private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(PathElement.groupElement("errno"));

    /**
     * The {@code errno} that a downcall bound with {@link #CAPTURE_ERRNO} captured.
     *
     * @param callState a segment of {@link #CALL_STATE}
     * @return the errno value
     */
    public static int errno(MemorySegment callState) {
        return callState.get(JAVA_INT, ERRNO_OFFSET);
    }

    /**
     * The field of {@link #CALL_STATE} that holds the thread's last error for the Win32
     * bindings: {@code GetLastError} on Windows. A linker that offers only {@code errno} runs
     * on another OS, where those bindings meet only a Win32 emulation (the project's tests run
     * the Windows backend on Linux that way, see CONTRIBUTING.md), which reports its Win32 codes
     * through {@code errno}. Chosen from what the linker offers, so that no switch tells
     * production code it is being tested.
     */
    public static final String LAST_ERROR_FIELD = CALL_STATE.memberLayouts().stream()
            .anyMatch(member -> member.name().equals(Optional.of("GetLastError"))) ? "GetLastError" : "errno";

    /** Makes a downcall write the thread's last error into its {@link #CALL_STATE} segment. */
    public static final Linker.Option CAPTURE_LAST_ERROR = Linker.Option.captureCallState(LAST_ERROR_FIELD);
    private static final long LAST_ERROR_OFFSET = CALL_STATE.byteOffset(PathElement.groupElement(LAST_ERROR_FIELD));

    /**
     * The last error that a downcall bound with {@link #CAPTURE_LAST_ERROR} captured.
     *
     * @param callState a segment of {@link #CALL_STATE}
     * @return the Win32 error code
     */
    public static int lastError(MemorySegment callState) {
        return callState.get(JAVA_INT, LAST_ERROR_OFFSET);
    }

    /** A field of a struct at the start of a segment: coordinates {@code (segment)}. */
    private static VarHandle field(StructLayout struct, String name) {
        return MethodHandles.insertCoordinates(struct.varHandle(PathElement.groupElement(name)), 1, 0L);
    }

    /** A field of a struct anywhere in a segment: coordinates {@code (segment, long structOffset)}. */
    private static VarHandle arrayField(StructLayout struct, String name) {
        return struct.varHandle(PathElement.groupElement(name));
    }

    /**
     * Writes a timespec.
     *
     * @param timespec a segment of {@link #TIMESPEC}
     * @param seconds {@code tv_sec}
     * @param nanos {@code tv_nsec}, 0 to 999,999,999
     */
    public static void setTimespec(MemorySegment timespec, long seconds, long nanos) {
        Timespec.TV_SEC.set(timespec, seconds);
        Timespec.TV_NSEC.set(timespec, nanos);
    }

    /**
     * {@code tv_sec} of a timespec.
     *
     * @param timespec a segment of {@link #TIMESPEC}
     * @return the seconds
     */
    public static long seconds(MemorySegment timespec) {
        return (long) Timespec.TV_SEC.get(timespec);
    }

    /**
     * {@code tv_nsec} of a timespec.
     *
     * @param timespec a segment of {@link #TIMESPEC}
     * @return the nanoseconds
     */
    public static long nanos(MemorySegment timespec) {
        return (long) Timespec.TV_NSEC.get(timespec);
    }

    /**
     * Writes element {@code index} of an array of {@code struct sembuf}.
     *
     * @param sops the array
     * @param index which element
     * @param semNum {@code sem_num}
     * @param semOp {@code sem_op}
     * @param flags {@code sem_flg}
     */
    public static void setSembuf(MemorySegment sops, int index, int semNum, int semOp, int flags) {
        long struct = index * SEMBUF.byteSize();
        Sembuf.SEM_NUM.set(sops, struct, (short) semNum);
        Sembuf.SEM_OP.set(sops, struct, (short) semOp);
        Sembuf.SEM_FLG.set(sops, struct, (short) flags);
    }

    /**
     * {@code CurrentCount} of a SEMAPHORE_BASIC_INFORMATION.
     *
     * @param info a segment of {@link #SEMAPHORE_BASIC_INFORMATION}
     * @return the count
     */
    public static int currentCount(MemorySegment info) {
        return (int) SemaphoreInfo.CURRENT_COUNT.get(info);
    }

    /**
     * {@code MaximumCount} of a SEMAPHORE_BASIC_INFORMATION.
     *
     * @param info a segment of {@link #SEMAPHORE_BASIC_INFORMATION}
     * @return the maximum
     */
    public static int maximumCount(MemorySegment info) {
        return (int) SemaphoreInfo.MAXIMUM_COUNT.get(info);
    }
}
