package io.github.namedsem.windows;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.namedsem.internal.platform.NativeAccess;
import io.github.namedsem.internal.platform.NativeLayouts;
import io.github.namedsem.internal.platform.Platform;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The five kernel32 functions of Windows semaphore objects, with their exact Win32 parameter
 * lists, and {@code FormatMessageW} for error texts.
 *
 * <p>Types map as the Windows x64 ABI defines them: {@code HANDLE} and every pointer are
 * addresses ({@link MemorySegment}); {@code LONG}, {@code DWORD} and {@code BOOL} are 32-bit
 * ({@code int}; a {@code DWORD} above {@link Integer#MAX_VALUE} is a negative {@code int} with
 * the same bits). A {@code NULL} handle or pointer is {@link MemorySegment#NULL}.
 * {@snippet :
 * try (Arena arena = Arena.ofConfined()) {
 *     MemorySegment state = Kernel32.allocateCallState(arena);
 *     MemorySegment handle = Kernel32.CreateSemaphoreExW(state, MemorySegment.NULL, 0, 4,
 *             Kernel32.wideString(arena, "Global\\jobs"), 0, Kernel32.SEMAPHORE_ALL_ACCESS);
 *     if (handle.equals(MemorySegment.NULL)) {
 *         throw new IllegalStateException(Kernel32.formatMessage(Kernel32.lastError(state)));
 *     }
 *     // ...
 *     Kernel32.CloseHandle(state, handle);
 * }
 * }
 *
 * <p>The functions are bound the first time one is called, and only on Windows; elsewhere
 * they throw {@link UnsupportedOperationException}. The constants work everywhere.
 */
public final class Kernel32 {
    private Kernel32() {}

    /** Right to query the count ({@code NtQuerySemaphore} needs it). */
    public static final int SEMAPHORE_QUERY_STATE = 0x0001;
    /** Right to release ({@code ReleaseSemaphore} needs it). */
    public static final int SEMAPHORE_MODIFY_STATE = 0x0002;
    /** Right to wait on the object ({@code WaitForSingleObject} needs it). */
    public static final int SYNCHRONIZE = 0x0010_0000;
    /** Every right on a semaphore object. */
    public static final int SEMAPHORE_ALL_ACCESS = 0x001F_0003;

    /** {@code WaitForSingleObject}: the wait took one count of the semaphore. */
    public static final int WAIT_OBJECT_0 = 0x0000_0000;
    /** {@code WaitForSingleObject}: an abandoned mutex (never for semaphores). */
    public static final int WAIT_ABANDONED = 0x0000_0080;
    /** {@code WaitForSingleObjectEx}: an APC ended an alertable wait. */
    public static final int WAIT_IO_COMPLETION = 0x0000_00C0;
    /** {@code WaitForSingleObject}: the time ran out. */
    public static final int WAIT_TIMEOUT = 0x0000_0102;
    /** {@code WaitForSingleObject}: the call failed; see {@link #lastError}. */
    public static final int WAIT_FAILED = 0xFFFF_FFFF;
    /** A wait without time limit; never pass it by accident. */
    public static final int INFINITE = 0xFFFF_FFFF;

    /** The classic Windows path limit; object names are limited to it. */
    public static final int MAX_PATH = 260;
    /** {@code FormatMessageW}: look the code up in the system's message table. */
    public static final int FORMAT_MESSAGE_FROM_SYSTEM = 0x0000_1000;
    /** {@code FormatMessageW}: leave {@code %1}-style inserts as they are. */
    public static final int FORMAT_MESSAGE_IGNORE_INSERTS = 0x0000_0200;

    /** FormatMessageW's documented limit, 64 KB, in WCHARs. */
    private static final int MESSAGE_CAPACITY = 32 * 1024;

    private static final boolean ON_WINDOWS = Platform.OS == Platform.Os.WINDOWS;

    /** The bound functions; initialised on first use, which only happens on Windows. */
    private static final class Bound {
        static final SymbolLookup KERNEL32 = NativeAccess.libraryLookup("kernel32");
        static final Linker.Option CAPTURE = NativeLayouts.CAPTURE_LAST_ERROR;

        // HANDLE CreateSemaphoreExW(LPSECURITY_ATTRIBUTES, LONG lInitialCount, LONG lMaximumCount,
        //                           LPCWSTR lpName, DWORD dwFlags, DWORD dwDesiredAccess)
        static final MethodHandle CREATE_SEMAPHORE_EX_W = NativeAccess.downcall(KERNEL32, "CreateSemaphoreExW",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE);
        // HANDLE OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
        static final MethodHandle OPEN_SEMAPHORE_W = NativeAccess.downcall(KERNEL32, "OpenSemaphoreW",
                FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE);
        // DWORD WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
        static final MethodHandle WAIT_FOR_SINGLE_OBJECT = NativeAccess.downcall(KERNEL32, "WaitForSingleObject",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE);
        // BOOL ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LPLONG lpPreviousCount)
        static final MethodHandle RELEASE_SEMAPHORE = NativeAccess.downcall(KERNEL32, "ReleaseSemaphore",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), CAPTURE);
        // BOOL CloseHandle(HANDLE hObject)
        static final MethodHandle CLOSE_HANDLE = NativeAccess.downcall(KERNEL32, "CloseHandle",
                FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE);
        // DWORD FormatMessageW(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
        //                      LPWSTR lpBuffer, DWORD nSize, va_list *Arguments)
        static final MethodHandle FORMAT_MESSAGE_W = NativeAccess.downcall(KERNEL32, "FormatMessageW",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    }

    /**
     * Binds every function of this class now rather than at the first call, so that a JVM that
     * denies native access says so when the caller chooses (namedsem's Windows backend does this
     * when it is loaded, so every later call gets the same exception).
     *
     * @throws UnsupportedOperationException outside Windows, or if this JVM denies native access
     *     (the message names the flag to add)
     */
    public static void bind() {
        requireWindows();
        try {
            Bound.CLOSE_HANDLE.type(); // runs the initialiser, which binds them all
        } catch (ExceptionInInitializerError e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause; // UnsupportedOperationException naming the flag
            }
            throw e;
        }
    }

    private static void requireWindows() {
        if (!ON_WINDOWS) {
            throw new UnsupportedOperationException("kernel32 exists only on Windows; this is "
                    + System.getProperty("os.name") + ". Use io.github.namedsem.NamedSemaphore for portable code.");
        }
    }

    /**
     * The layout of the call-state segment the functions capture {@code GetLastError} into.
     *
     * @return {@link Linker.Option#captureStateLayout()}
     */
    public static MemoryLayout callStateLayout() {
        return Linker.Option.captureStateLayout();
    }

    /**
     * Allocates a call-state segment for the functions of this class.
     *
     * @param allocator where to allocate it, for example an {@link Arena}
     * @return a segment of {@link #callStateLayout()}
     */
    public static MemorySegment allocateCallState(SegmentAllocator allocator) {
        return allocator.allocate(callStateLayout());
    }

    /**
     * The {@code GetLastError()} value captured by the last call that used this segment.
     *
     * @param callState a segment from {@link #allocateCallState}
     * @return the error code; see {@link WinError}
     * @throws UnsupportedOperationException outside Windows
     */
    public static int lastError(MemorySegment callState) {
        requireWindows();
        return NativeLayouts.lastError(callState);
    }

    /**
     * Encodes a Java string as an {@code LPCWSTR}: UTF-16LE with a two-byte NUL terminator.
     *
     * @param allocator where to allocate it
     * @param s the string
     * @return the NUL-terminated wide string
     */
    public static MemorySegment wideString(SegmentAllocator allocator, String s) {
        return allocator.allocateFrom(s, StandardCharsets.UTF_16LE);
    }

    /**
     * {@code CreateSemaphoreExW}: creates a named or unnamed semaphore object, or opens the
     * existing one of that name, in which case the counts are ignored and
     * {@link #lastError} is {@link WinError#ERROR_ALREADY_EXISTS}.
     *
     * @param callState receives {@code GetLastError()}
     * @param lpSemaphoreAttributes {@code SECURITY_ATTRIBUTES*}, or {@code NULL} for the defaults
     * @param lInitialCount initial count, 0 to {@code lMaximumCount}
     * @param lMaximumCount maximum count, at least 1
     * @param lpName the name ({@link #wideString}), or {@code NULL} for an unnamed object
     * @param dwFlags reserved, 0
     * @param dwDesiredAccess access rights, such as {@link #SEMAPHORE_ALL_ACCESS}
     * @return the handle, or {@code NULL} on failure
     */
    public static MemorySegment CreateSemaphoreExW(MemorySegment callState, MemorySegment lpSemaphoreAttributes,
                                                   int lInitialCount, int lMaximumCount, MemorySegment lpName,
                                                   int dwFlags, int dwDesiredAccess) {
        requireWindows();
        try {
            return (MemorySegment) Bound.CREATE_SEMAPHORE_EX_W.invokeExact(callState, lpSemaphoreAttributes,
                    lInitialCount, lMaximumCount, lpName, dwFlags, dwDesiredAccess);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /**
     * {@code OpenSemaphoreW}: opens an existing named semaphore object.
     *
     * @param callState receives {@code GetLastError()}
     * @param dwDesiredAccess access rights
     * @param bInheritHandle nonzero to let child processes inherit the handle
     * @param lpName the name ({@link #wideString})
     * @return the handle, or {@code NULL} on failure ({@link WinError#ERROR_FILE_NOT_FOUND}
     *     when no such object exists)
     */
    public static MemorySegment OpenSemaphoreW(MemorySegment callState, int dwDesiredAccess, int bInheritHandle,
                                               MemorySegment lpName) {
        requireWindows();
        try {
            return (MemorySegment) Bound.OPEN_SEMAPHORE_W.invokeExact(callState, dwDesiredAccess, bInheritHandle, lpName);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /**
     * {@code WaitForSingleObject}: waits until the object is signalled (for a semaphore: takes
     * one count) or the time runs out.
     *
     * @param callState receives {@code GetLastError()}
     * @param hHandle the handle, opened with {@link #SYNCHRONIZE}
     * @param dwMilliseconds how long to wait; 0 to poll; {@link #INFINITE} for ever
     * @return {@link #WAIT_OBJECT_0}, {@link #WAIT_TIMEOUT} or {@link #WAIT_FAILED}
     */
    public static int WaitForSingleObject(MemorySegment callState, MemorySegment hHandle, int dwMilliseconds) {
        requireWindows();
        try {
            return (int) Bound.WAIT_FOR_SINGLE_OBJECT.invokeExact(callState, hHandle, dwMilliseconds);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /**
     * {@code ReleaseSemaphore}: raises the count, atomically reporting the count before.
     *
     * @param callState receives {@code GetLastError()}
     * @param hSemaphore the handle, opened with {@link #SEMAPHORE_MODIFY_STATE}
     * @param lReleaseCount how much to add, at least 1
     * @param lpPreviousCount a {@code LONG} to receive the previous count, or {@code NULL}
     * @return nonzero on success; 0 on failure, with {@link WinError#ERROR_TOO_MANY_POSTS} when
     *     the count would pass the maximum (and nothing was released)
     */
    public static int ReleaseSemaphore(MemorySegment callState, MemorySegment hSemaphore, int lReleaseCount,
                                       MemorySegment lpPreviousCount) {
        requireWindows();
        try {
            return (int) Bound.RELEASE_SEMAPHORE.invokeExact(callState, hSemaphore, lReleaseCount, lpPreviousCount);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /**
     * {@code CloseHandle}: closes a handle. The semaphore object is destroyed with its last
     * handle in any process.
     *
     * @param callState receives {@code GetLastError()}
     * @param hObject the handle; never use it again afterwards
     * @return nonzero on success; 0 on failure ({@link WinError#ERROR_INVALID_HANDLE} for a
     *     handle already closed)
     */
    public static int CloseHandle(MemorySegment callState, MemorySegment hObject) {
        requireWindows();
        try {
            return (int) Bound.CLOSE_HANDLE.invokeExact(callState, hObject);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /**
     * The system's text for an error code, through {@code FormatMessageW}.
     *
     * @param errorCode a value of {@code GetLastError()}
     * @return the text without trailing line break, or {@code null} if the system has none
     */
    public static String formatMessage(int errorCode) {
        requireWindows();
        try (Arena arena = Arena.ofConfined()) {
            // The largest buffer FormatMessageW accepts (64 KB): a smaller one makes a long
            // message fail with ERROR_INSUFFICIENT_BUFFER, which would turn it into null.
            int capacity = MESSAGE_CAPACITY;
            MemorySegment buffer = arena.allocate(2L * capacity);
            int length = (int) Bound.FORMAT_MESSAGE_W.invokeExact(
                    FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, MemorySegment.NULL, errorCode, 0,
                    buffer, capacity, MemorySegment.NULL);
            return length == 0 ? null : buffer.getString(0, StandardCharsets.UTF_16LE).strip();
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }
}
