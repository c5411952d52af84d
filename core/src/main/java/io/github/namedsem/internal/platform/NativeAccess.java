package io.github.namedsem.internal.platform;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Looks up native functions for the backends, and turns a missing
 * {@code --enable-native-access} into a message that names the exact flag.
 */
public final class NativeAccess {
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private NativeAccess() {}

    /**
     * The flag this module needs, spelled for the way it was loaded.
     *
     * @return {@code --enable-native-access=io.github.namedsem} on the module path, or
     *     {@code --enable-native-access=ALL-UNNAMED} on the class path
     */
    public static String flag() {
        Module module = NativeAccess.class.getModule();
        return "--enable-native-access=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
    }

    /**
     * Binds a native function.
     *
     * @param lookup where the symbol lives
     * @param symbol the C name
     * @param descriptor its signature
     * @param options linker options, such as capturing {@code errno}
     * @return a handle for {@code invokeExact}
     * @throws UnsatisfiedLinkError if the symbol does not exist
     * @throws UnsupportedOperationException if native access is denied, naming the flag to add
     */
    public static MethodHandle downcall(SymbolLookup lookup, String symbol, FunctionDescriptor descriptor,
                                        Linker.Option... options) {
        MemorySegment address = lookup.find(symbol).orElseThrow(
                () -> new UnsatisfiedLinkError("namedsem: the C function " + symbol + " was not found"));
        return downcall(address, descriptor, options);
    }

    /**
     * Opens a library by name, as the OS's loader finds it ({@code LoadLibrary} on Windows,
     * {@code dlopen} elsewhere). Loading a library is itself a restricted operation: without
     * {@code --enable-native-access} the JDK warns (and from then on counts this module as
     * enabled, so the warning naming the flag must come first) or refuses.
     *
     * @param library the name, such as {@code "kernel32"}
     * @return the library's symbols, loaded for the life of the JVM
     * @throws IllegalArgumentException if no library of that name is found
     * @throws UnsupportedOperationException if native access is denied, naming the flag to add
     */
    @SuppressWarnings("restricted") // the one place the module looks up a library
    public static SymbolLookup libraryLookup(String library) {
        warnOnceIfNotEnabled();
        try {
            return SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalCallerException e) {
            throw new UnsupportedOperationException(deniedMessage(), e);
        }
    }

    /**
     * Binds a native function at a known address; see {@link #downcall(SymbolLookup, String,
     * FunctionDescriptor, Linker.Option...)}.
     *
     * @param address the function
     * @param descriptor its signature
     * @param options linker options
     * @return a handle for {@code invokeExact}
     */
    @SuppressWarnings("restricted") // the one place the module binds a native function
    public static MethodHandle downcall(MemorySegment address, FunctionDescriptor descriptor, Linker.Option... options) {
        warnOnceIfNotEnabled();
        try {
            return Linker.nativeLinker().downcallHandle(address, descriptor, options);
        } catch (IllegalCallerException e) {
            throw new UnsupportedOperationException(deniedMessage(), e);
        }
    }

    /**
     * The message for a JVM that refuses native access to this module.
     *
     * @return what happened and the exact flag to add
     */
    public static String deniedMessage() {
        return "namedsem calls the operating system through java.lang.foreign, and this JVM denies"
                + " native access to " + describeModule() + ". Add " + flag() + " to the java command"
                + " (or to the Enable-Native-Access manifest attribute of an executable JAR).";
    }

    /**
     * What a {@code catch (Throwable t)} around {@code invokeExact} throws: runtime exceptions
     * and errors as they are (a downcall declares no checked exception, so there is no other kind).
     *
     * @param t what the invocation threw
     * @return the exception to throw
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a native call", t);
    }

    private static void warnOnceIfNotEnabled() {
        if (!NativeAccess.class.getModule().isNativeAccessEnabled() && WARNED.compareAndSet(false, true)) {
            // The JDK prints its own generic warning; this one says which flag silences it.
            System.getLogger("io.github.namedsem").log(System.Logger.Level.WARNING,
                    "native access is not enabled for " + describeModule() + "; it works for now, but"
                            + " future JDKs will refuse it. Add " + flag() + " to the java command.");
        }
    }

    private static String describeModule() {
        Module module = NativeAccess.class.getModule();
        return module.isNamed() ? "module " + module.getName() : "the class path (unnamed module)";
    }
}
