package io.github.namedsem.internal.windows;

import io.github.namedsem.internal.Backend;
import io.github.namedsem.internal.NativeSemaphore;
import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.windows.Kernel32;
import io.github.namedsem.windows.Ntdll;
import io.github.namedsem.windows.WinError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Windows semaphore objects: the standard kind on Windows. A semaphore exists while any process
 * holds a handle to it; there is no unlink.
 */
public final class WindowsBackend implements Backend {
    /** The one instance. */
    public static final WindowsBackend INSTANCE = new WindowsBackend();

    /** Exactly what the portable API needs: wait, release, and read the count. */
    static final int ACCESS = Kernel32.SYNCHRONIZE | Kernel32.SEMAPHORE_MODIFY_STATE | Kernel32.SEMAPHORE_QUERY_STATE;

    private WindowsBackend() {
        // Bind now, so that a denied native access fails loading this backend, which Backends
        // remembers: every call then gets the same clear exception, not a NoClassDefFoundError.
        Kernel32.bind();
        Ntdll.bind();
    }

    @Override
    public SemaphoreName name(String name) {
        return SemaphoreName.ofWindows(name);
    }

    @Override
    public Opened create(SemaphoreName name, int initialPermits, int maxPermits, int mode, boolean openIfExists) {
        // mode is POSIX-only: the object gets the creating process's default security descriptor.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment handle = Kernel32.CreateSemaphoreExW(state, MemorySegment.NULL, initialPermits, maxPermits,
                    Kernel32.wideString(arena, name.windows()), 0, ACCESS);
            int error = Kernel32.lastError(state);
            if (handle.equals(MemorySegment.NULL)) {
                throw WindowsErrors.failure("CreateSemaphoreExW", name, error, Kernel32.formatMessage(error));
            }
            boolean existed = error == WinError.ERROR_ALREADY_EXISTS;
            if (existed && !openIfExists) {
                // CreateSemaphoreExW opened the existing object and ignored our counts: let go of it.
                Kernel32.CloseHandle(state, handle);
                throw WindowsErrors.failure("CreateSemaphoreExW", name, WinError.ERROR_ALREADY_EXISTS,
                        Kernel32.formatMessage(WinError.ERROR_ALREADY_EXISTS));
            }
            return new Opened(WindowsSemaphore.adopt(name, handle), !existed);
        }
    }

    @Override
    public NativeSemaphore open(SemaphoreName name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment handle = Kernel32.OpenSemaphoreW(state, ACCESS, 0, Kernel32.wideString(arena, name.windows()));
            if (handle.equals(MemorySegment.NULL)) {
                int error = Kernel32.lastError(state);
                throw WindowsErrors.failure("OpenSemaphoreW", name, error, Kernel32.formatMessage(error));
            }
            return WindowsSemaphore.adopt(name, handle);
        }
    }

    /**
     * Windows has no unlink: a semaphore object is destroyed when its last handle closes, and
     * its name with it. So this changes nothing and returns {@code false}.
     */
    @Override
    public boolean unlink(SemaphoreName name) {
        return false;
    }

    @Override
    public int maxPermitsLimit() {
        return Integer.MAX_VALUE; // LONG
    }
}
