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
 *
 * <p>Compatibility: this package is exported in 0.x because the portable API deliberately hides
 * what some Windows callers need. It promises to follow the Win32 documentation: each method
 * keeps the Win32 function's name, parameter order and meaning, and a binding is changed only
 * to correct a deviation from that documentation. Helper methods ({@code allocateCallState},
 * {@code lastError}, {@code wideString}, {@code formatMessage}) may still change before 1.0.
 * The package depends on nothing in namedsem but its platform layer, so using it never loads
 * a backend.
 */
package io.github.namedsem.windows;
