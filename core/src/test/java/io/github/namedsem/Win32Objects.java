package io.github.namedsem;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.namedsem.windows.Kernel32;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Kernel objects of other types than semaphores, which namedsem never creates, so that a test
 * can take a name with one: Windows keeps mutexes, events and semaphores in one namespace.
 */
final class Win32Objects {
    private Win32Objects() {}

    // HANDLE CreateMutexW(LPSECURITY_ATTRIBUTES, BOOL bInitialOwner, LPCWSTR lpName)
    @SuppressWarnings("restricted") // a Win32 function the tests call directly
    private static final MethodHandle CREATE_MUTEX_W = Linker.nativeLinker().downcallHandle(
            SymbolLookup.libraryLookup("kernel32", Arena.global()).find("CreateMutexW").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS));

    /** A named mutex, not owned; close it with {@link #close}. */
    static MemorySegment createMutex(String name) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) CREATE_MUTEX_W.invokeExact(MemorySegment.NULL, 0,
                    Kernel32.wideString(arena, name));
            if (handle.equals(MemorySegment.NULL)) {
                throw new AssertionError("CreateMutexW(" + name + ") failed");
            }
            return handle;
        }
    }

    static void close(MemorySegment handle) {
        try (Arena arena = Arena.ofConfined()) {
            if (Kernel32.CloseHandle(Kernel32.allocateCallState(arena), handle) == 0) {
                throw new AssertionError("CloseHandle failed");
            }
        }
    }
}
