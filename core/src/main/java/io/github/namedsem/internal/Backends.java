package io.github.namedsem.internal;

import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.internal.posix.PosixBackend;
import java.util.Locale;

/**
 * Picks the backend for a kind on this operating system. Each backend class is touched only
 * on its own OS, so loading namedsem on Linux never looks up kernel32, and vice versa.
 */
public final class Backends {
    private Backends() {}

    /** The operating systems namedsem distinguishes. */
    public enum Os { LINUX, WINDOWS, OTHER }

    /**
     * Classifies an {@code os.name} value.
     *
     * @param osName a value of the {@code os.name} system property
     * @return the OS family
     */
    public static Os classify(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return Os.LINUX;
        }
        if (os.startsWith("windows")) {
            return Os.WINDOWS;
        }
        return Os.OTHER;
    }

    /**
     * The backend for a kind on the running OS.
     *
     * @param kind the kind the caller chose
     * @return its backend
     * @throws UnsupportedOperationException if this OS does not offer that kind yet
     */
    public static Backend forKind(SemaphoreKind kind) {
        Os os = classify(System.getProperty("os.name", ""));
        return switch (kind) {
            case STANDARD -> switch (os) {
                case LINUX -> PosixBackend.INSTANCE;
                case WINDOWS, OTHER -> throw unsupported(kind);
            };
        };
    }

    private static UnsupportedOperationException unsupported(SemaphoreKind kind) {
        return new UnsupportedOperationException("namedsem has no " + kind + " semaphores on "
                + System.getProperty("os.name") + " yet; supported: Linux (x86_64, aarch64)."
                + " See the platform table in the README.");
    }
}
