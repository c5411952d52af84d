package io.github.namedsem.internal.windows;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.internal.NativeSemaphore;
import io.github.namedsem.internal.platform.NativeLayouts;
import io.github.namedsem.internal.platform.Scratch;
import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.windows.Kernel32;
import io.github.namedsem.windows.Ntdll;
import io.github.namedsem.windows.WinError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;
import java.util.function.ToIntFunction;

/**
 * One semaphore object {@code HANDLE}. Callers guarantee, through the handle guard, that no
 * method runs after or during {@link #close()}.
 */
final class WindowsSemaphore implements NativeSemaphore {
    /** The out-parameters of one call, in native memory that the garbage collector frees. */
    private record Out(MemorySegment state, MemorySegment previous, MemorySegment info) {
        static Out allocate() {
            Arena arena = Arena.ofAuto();
            return new Out(Kernel32.allocateCallState(arena), arena.allocate(JAVA_INT),
                    arena.allocate(Ntdll.SEMAPHORE_BASIC_INFORMATION));
        }
    }

    private final SemaphoreName name;
    private final MemorySegment handle;
    private final int maxPermits;
    private final Scratch<Out> scratch = new Scratch<>(Out::allocate);
    // The waiter thread holds its set for a whole slice; its own keeps the others' free.
    private final Scratch<Out> waitScratch = new Scratch<>(Out::allocate);

    private WindowsSemaphore(SemaphoreName name, MemorySegment handle) {
        this.name = name;
        this.handle = handle;
        this.maxPermits = query(NativeLayouts::maximumCount);
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

    private boolean waitMillis(int millis, Scratch<Out> scratch) {
        Out out = scratch.take();
        try {
            int result = Kernel32.WaitForSingleObject(out.state(), handle, millis);
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
        Out out = scratch.take();
        try {
            if (Kernel32.ReleaseSemaphore(out.state(), handle, permits, out.previous()) != 0) {
                return out.previous().get(JAVA_INT, 0);
            }
            if (Kernel32.lastError(out.state()) == WinError.ERROR_TOO_MANY_POSTS) {
                throw WindowsErrors.tooManyPosts(name, permits, availablePermits(), maxPermits);
            }
            throw failure("ReleaseSemaphore", out);
        } finally {
            scratch.give(out);
        }
    }

    @Override
    public int availablePermits() {
        return query(NativeLayouts::currentCount);
    }

    /** One field of SEMAPHORE_BASIC_INFORMATION, read now. */
    private int query(ToIntFunction<MemorySegment> field) {
        Out out = scratch.take();
        try {
            int status = Ntdll.NtQuerySemaphore(handle, Ntdll.SemaphoreBasicInformation, out.info(),
                    (int) out.info().byteSize(), MemorySegment.NULL);
            if (status != Ntdll.STATUS_SUCCESS) {
                String ntstatus = "NTSTATUS 0x" + Integer.toHexString(status);
                throw new NamedSemaphoreException("Cannot read the count of semaphore " + name.windows()
                        + " (NtQuerySemaphore: " + ntstatus + ")", name.portable(), name.windows(), SemaphoreKind.STANDARD, status, ntstatus);
            }
            return field.applyAsInt(out.info());
        } finally {
            scratch.give(out);
        }
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
        Out out = scratch.take();
        try {
            if (Kernel32.CloseHandle(out.state(), handle) == 0) {
                throw failure("CloseHandle", out);
            }
        } finally {
            scratch.give(out);
        }
    }

    private NamedSemaphoreException failure(String call, Out out) {
        int code = Kernel32.lastError(out.state());
        return WindowsErrors.failure(call, name, code, Kernel32.formatMessage(code));
    }
}
