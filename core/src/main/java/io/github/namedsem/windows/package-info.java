/**
 * The Win32 semaphore functions, bound one-to-one through {@code java.lang.foreign}, for
 * callers who need what {@link io.github.namedsem.NamedSemaphore} hides: access masks, handle
 * inheritance, security attributes.
 *
 * <p>Each function keeps its Win32 name and parameter list. Functions that report failure
 * through {@code GetLastError()} take a call-state segment as their first argument (allocate it
 * with {@link io.github.namedsem.windows.Kernel32#allocateCallState}), into which the linker
 * captures the error right after the call; read it with
 * {@link io.github.namedsem.windows.Kernel32#lastError}. A separate {@code GetLastError}
 * downcall would be unreliable: the JVM may itself change the thread's last error in between.
 *
 * <p>Handles are raw: nothing stops a caller from using one after {@code CloseHandle}, so code
 * that shares handles between threads must guard them itself (the portable API does). The
 * constants ({@link io.github.namedsem.windows.WinError} among them) can be used on any
 * platform; the functions throw {@link UnsupportedOperationException} outside Windows.
 */
package io.github.namedsem.windows;
