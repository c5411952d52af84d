package io.github.namedsem.internal.windows;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.internal.NativeSemaphore;
import io.github.namedsem.internal.Scratch;
import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.windows.Kernel32;
import io.github.namedsem.windows.Ntdll;
import io.github.namedsem.windows.WinError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.OptionalInt;

/**
 * One semaphore object {@code HANDLE}. Callers guarantee, through the handle guard, that no
 * method runs after or during {@link #close()}.
 */
final class WindowsSemaphore implements NativeSemaphore {
    // Every out-parameter of one call in one segment: the captured GetLastError, the previous
    // count of ReleaseSemaphore, and NtQuerySemaphore's SEMAPHORE_BASIC_INFORMATION.
    // The call state comes first, so the whole segment can be passed where it is expected.
    static final StructLayout SCRATCH = MemoryLayout.structLayout(
            Kernel32.callStateLayout().withName("state"),
            JAVA_INT.withName("previous"),
            Ntdll.SEMAPHORE_BASIC_INFORMATION.withName("info"));
    private static final long PREVIOUS = SCRATCH.byteOffset(MemoryLayout.PathElement.groupElement("previous"));
    private static final long INFO = SCRATCH.byteOffset(MemoryLayout.PathElement.groupElement("info"));

    private final SemaphoreName name;
    private final MemorySegment handle;
    private final int maxPermits;
    private final Scratch scratch = new Scratch(SCRATCH);
    // The waiter thread holds its segment for a whole slice; its own keeps the others' free.
    private final Scratch waitScratch = new Scratch(SCRATCH);

    private WindowsSemaphore(SemaphoreName name, MemorySegment handle) {
        this.name = name;
        this.handle = handle;
        this.maxPermits = query(MAXIMUM_COUNT);
    }

    /**
     * Takes ownership of a fresh handle, reading the maximum the kernel recorded at creation
     * (exact, whoever created it). Closes the handle if that fails.
     */
    static WindowsSemaphore adopt(SemaphoreName name, MemorySegment handle) {
        try {
            return new WindowsSemaphore(name, handle);
        } catch (RuntimeException e) {
            try (Arena arena = Arena.ofConfined()) {
                Kernel32.CloseHandle(Kernel32.allocateCallState(arena), handle);
            }
            throw e;
        }
    }

    @Override
    public boolean tryAcquire() {
        return waitMillis(0, scratch);
    }

    @Override
    public boolean awaitPermit(long nanos) {
        return waitMillis(WindowsTimeouts.toMillis(nanos), waitScratch);
    }

    private boolean waitMillis(int millis, Scratch scratch) {
        MemorySegment out = scratch.take();
        try {
            int result = Kernel32.WaitForSingleObject(out, handle, millis);
            if (result == Kernel32.WAIT_OBJECT_0) {
                return true;
            }
            if (result == Kernel32.WAIT_TIMEOUT) {
                return false;
            }
            throw failure("WaitForSingleObject", out);
        } finally {
            scratch.give(out);
        }
    }

    @Override
    public int release(int permits) {
        MemorySegment out = scratch.take();
        try {
            if (Kernel32.ReleaseSemaphore(out, handle, permits, out.asSlice(PREVIOUS, JAVA_INT)) != 0) {
                return out.get(JAVA_INT, PREVIOUS);
            }
            if (Kernel32.lastError(out) == WinError.ERROR_TOO_MANY_POSTS) {
                throw WindowsErrors.tooManyPosts(name, permits, availablePermits(), maxPermits);
            }
            throw failure("ReleaseSemaphore", out);
        } finally {
            scratch.give(out);
        }
    }

    @Override
    public int availablePermits() {
        return query(CURRENT_COUNT);
    }

    private static final long CURRENT_COUNT = 0;
    private static final long MAXIMUM_COUNT = 4;

    /** One field of SEMAPHORE_BASIC_INFORMATION, read now. */
    private int query(long field) {
        MemorySegment out = scratch.take();
        try {
            return query(out).get(JAVA_INT, field);
        } finally {
            scratch.give(out);
        }
    }

    /** Reads SEMAPHORE_BASIC_INFORMATION into the scratch segment and returns that slice. */
    private MemorySegment query(MemorySegment out) {
        MemorySegment info = out.asSlice(INFO, Ntdll.SEMAPHORE_BASIC_INFORMATION);
        int status = Ntdll.NtQuerySemaphore(handle, Ntdll.SemaphoreBasicInformation, info,
                (int) info.byteSize(), MemorySegment.NULL);
        if (status != Ntdll.STATUS_SUCCESS) {
            throw new NamedSemaphoreException("Cannot read the count of semaphore " + name.windows()
                    + " (NtQuerySemaphore: NTSTATUS 0x" + Integer.toHexString(status) + ")", name.portable(), status,
                    "NTSTATUS 0x" + Integer.toHexString(status));
        }
        return info;
    }


    @Override
    public OptionalInt maxPermits() {
        return OptionalInt.of(maxPermits);
    }

    @Override
    public String osName() {
        return name.windows();
    }

    @Override
    public void close() {
        MemorySegment out = scratch.take();
        try {
            if (Kernel32.CloseHandle(out, handle) == 0) {
                throw failure("CloseHandle", out);
            }
        } finally {
            scratch.give(out);
        }
    }

    private NamedSemaphoreException failure(String call, MemorySegment out) {
        int code = Kernel32.lastError(out);
        return WindowsErrors.failure(call, name, code, Kernel32.formatMessage(code));
    }
}
