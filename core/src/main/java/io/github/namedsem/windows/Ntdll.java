package io.github.namedsem.windows;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.namedsem.internal.platform.NativeAccess;
import io.github.namedsem.internal.platform.NativeLayouts;
import io.github.namedsem.internal.platform.Platform;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * {@code NtQuerySemaphore} from ntdll: the only way to read a semaphore's count (and maximum)
 * on Windows without taking a count, which the Win32 API does not offer.
 */
public final class Ntdll {
    private Ntdll() {}

    /** {@code SEMAPHORE_INFORMATION_CLASS}: the class for {@link #SEMAPHORE_BASIC_INFORMATION}. */
    public static final int SemaphoreBasicInformation = 0;

    /** {@code struct SEMAPHORE_BASIC_INFORMATION { LONG CurrentCount; LONG MaximumCount; }}, 8 bytes. */
    public static final StructLayout SEMAPHORE_BASIC_INFORMATION = NativeLayouts.SEMAPHORE_BASIC_INFORMATION;

    /** The {@code NTSTATUS} of success. */
    public static final int STATUS_SUCCESS = 0;

    private static final boolean ON_WINDOWS = Platform.OS == Platform.Os.WINDOWS;

    private static final class Bound {
        static final SymbolLookup NTDLL = NativeAccess.libraryLookup("ntdll");
        // NTSTATUS NtQuerySemaphore(HANDLE SemaphoreHandle, SEMAPHORE_INFORMATION_CLASS InformationClass,
        //                           PVOID SemaphoreInformation, ULONG Length, PULONG ReturnLength)
        static final MethodHandle NT_QUERY_SEMAPHORE = NativeAccess.downcall(NTDLL, "NtQuerySemaphore",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    }

    private static void requireWindows() {
        if (!ON_WINDOWS) {
            throw new UnsupportedOperationException("ntdll exists only on Windows; this is " + System.getProperty("os.name"));
        }
    }

    /**
     * Binds {@code NtQuerySemaphore} now rather than at the first call; see {@link Kernel32#bind()}.
     *
     * @throws UnsupportedOperationException outside Windows, or if this JVM denies native access
     *     (the message names the flag to add)
     */
    public static void bind() {
        requireWindows();
        try {
            Bound.NT_QUERY_SEMAPHORE.type(); // runs the initialiser
        } catch (ExceptionInInitializerError e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause; // UnsupportedOperationException naming the flag
            }
            throw e;
        }
    }

    /**
     * {@code NtQuerySemaphore}: reads a semaphore's current and maximum count without changing
     * either.
     *
     * @param semaphoreHandle a handle opened with {@link Kernel32#SEMAPHORE_QUERY_STATE}
     * @param informationClass {@link #SemaphoreBasicInformation}
     * @param semaphoreInformation a segment of {@link #SEMAPHORE_BASIC_INFORMATION}
     * @param length its size in bytes, 8
     * @param returnLength a {@code ULONG} to receive the bytes written, or {@code NULL}
     * @return an {@code NTSTATUS}: {@link #STATUS_SUCCESS}, or a negative failure code
     * @throws UnsupportedOperationException outside Windows
     */
    public static int NtQuerySemaphore(MemorySegment semaphoreHandle, int informationClass,
                                       MemorySegment semaphoreInformation, int length, MemorySegment returnLength) {
        requireWindows();
        try {
            return (int) Bound.NT_QUERY_SEMAPHORE.invokeExact(semaphoreHandle, informationClass, semaphoreInformation,
                    length, returnLength);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }
}
