package io.github.namedsem.internal.platform;

import java.util.Locale;

/**
 * Which operating system this JVM runs on, decided once from {@code os.name}. Every other
 * class asks here instead of parsing the property itself, so that one answer holds everywhere
 * (a test JVM started with {@code -Dos.name=Windows} gets the Windows backend and the Windows
 * bindings alike).
 */
public final class Platform {
    private Platform() {}

    /** The operating systems namedsem distinguishes. */
    public enum Os {
        /** Linux, with glibc or musl. */
        LINUX,
        /** Windows. */
        WINDOWS,
        /** Anything else; namedsem offers no kind there. */
        OTHER;

        /**
         * Classifies an {@code os.name} value.
         *
         * @param osName a value of the {@code os.name} system property
         * @return the OS family
         */
        public static Os classify(String osName) {
            String os = osName.toLowerCase(Locale.ROOT);
            if (os.startsWith("linux")) {
                return LINUX;
            }
            if (os.startsWith("windows")) {
                return WINDOWS;
            }
            return OTHER;
        }
    }

    /** The OS of this JVM. */
    public static final Os OS = Os.classify(System.getProperty("os.name", ""));

    /**
     * The OS as the user would name it, for messages.
     *
     * @return {@code os.name}, or {@code "this operating system"} if unset
     */
    public static String osName() {
        return System.getProperty("os.name", "this operating system");
    }
}
