package io.github.namedsem.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The one portable naming rule, checked before any native call.
 *
 * <p>{@code jobs} and {@code /jobs} are the same semaphore: the POSIX name {@code /jobs}, which
 * C's {@code sem_open("/jobs")}, Python and Boost.Interprocess's {@code "jobs"} also reach.
 * Everything the operating system would reject, misread or silently turn into another name is
 * refused here with the reason, so a bad name never reaches the OS.
 */
public final class SemaphoreName {
    /**
     * Longest name in UTF-8 bytes, without the leading slash: glibc stores the semaphore as the
     * file {@code /dev/shm/sem.NAME}, and a file name has at most 255 bytes ({@code NAME_MAX}).
     */
    public static final int MAX_UTF8_BYTES = 251;

    /** The Windows kernel namespaces a name may start with; each ends with its backslash. */
    public static final java.util.List<String> WINDOWS_NAMESPACES = java.util.List.of("Global\\", "Local\\");

    private final String namespace;
    private final String bare;
    private final byte[] utf8;

    private SemaphoreName(String namespace, String bare, byte[] utf8) {
        this.namespace = namespace;
        this.bare = bare;
        this.utf8 = utf8;
    }

    /**
     * Checks a name against the portable rule.
     *
     * @param name a name such as {@code "jobs"} or {@code "/jobs"}
     * @return the checked name
     * @throws IllegalArgumentException saying why the name is not allowed and what to use instead
     */
    public static SemaphoreName of(String name) {
        Objects.requireNonNull(name, "semaphore name");
        String bare = name.startsWith("/") ? name.substring(1) : name;
        String problem = problemWith(bare);
        if (problem != null) {
            throw new IllegalArgumentException("Invalid semaphore name " + quote(name) + ": " + problem);
        }
        return new SemaphoreName("", bare, bare.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks a name against the portable rule, also accepting one of the Windows namespace
     * prefixes {@code Global\} and {@code Local\} in front; the rest of the name follows the
     * portable rule. Without a prefix, Windows puts the name in the caller's session.
     *
     * @param name a name such as {@code "jobs"}, {@code "/jobs"} or {@code "Global\jobs"}
     * @return the checked name
     * @throws IllegalArgumentException saying why the name is not allowed and what to use instead
     */
    public static SemaphoreName ofWindows(String name) {
        Objects.requireNonNull(name, "semaphore name");
        for (String namespace : WINDOWS_NAMESPACES) {
            if (name.startsWith(namespace)) {
                String rest = name.substring(namespace.length());
                String problem = rest.startsWith("/") ? "a name after " + namespace + " cannot start with '/'"
                        : problemWith(rest);
                if (problem != null) {
                    throw new IllegalArgumentException("Invalid semaphore name " + quote(name) + ": " + problem);
                }
                return new SemaphoreName(namespace, rest, rest.getBytes(StandardCharsets.UTF_8));
            }
        }
        return of(name);
    }

    private static String problemWith(String bare) {
        if (bare.isEmpty()) {
            return "a name needs at least one character after the optional leading '/' (e.g. \"jobs\")";
        }
        if (bare.equals(".") || bare.equals("..")) {
            return "\".\" and \"..\" are reserved; choose a name with other characters (e.g. \"jobs\")";
        }
        for (int i = 0; i < bare.length(); i++) {
            char c = bare.charAt(i);
            if (c == '/') {
                return "'/' is allowed only as the first character (semaphore names have no"
                        + " directories); use another separator such as '-' or '.'";
            }
            if (c == '\\') {
                return "'\\' is not allowed (Windows reads it as a namespace separator; the prefixes"
                        + " Global\\ and Local\\ are Windows-only); use another separator such as '-'";
            }
            if (c == '\0') {
                return "NUL characters are not allowed (C would cut the name short at the NUL)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < bare.length() && Character.isLowSurrogate(bare.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "it contains an unpaired UTF-16 surrogate at index " + i
                        + ", which has no UTF-8 form (it would silently become '?')";
            }
        }
        int bytes = bare.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_UTF8_BYTES) {
            return "it is " + bytes + " bytes long in UTF-8; the limit is " + MAX_UTF8_BYTES
                    + " bytes (the OS stores it as a file name of at most 255 bytes); use a shorter name";
        }
        return null;
    }

    /**
     * The name without a leading slash, as {@code NamedSemaphore.name()} reports it.
     *
     * @return the portable name, with its Windows namespace prefix if it has one
     */
    public String portable() {
        return namespace + bare;
    }

    /**
     * The POSIX name: a slash and the portable name.
     *
     * @return for example {@code "/jobs"}
     */
    public String posix() {
        return "/" + bare;
    }

    /**
     * The Windows object name: the namespace prefix, if any, and the name.
     *
     * @return for example {@code "jobs"} or {@code "Global\jobs"}
     */
    public String windows() {
        return namespace + bare;
    }

    /**
     * The UTF-8 bytes of the name without namespace, slash or terminator.
     *
     * @return a copy of the bytes
     */
    public byte[] utf8() {
        return utf8.clone();
    }

    /**
     * Quotes a name for a message, escaping what would not show, so that a name with a NUL or
     * a newline is reported as it really is.
     *
     * @param name any string
     * @return the string in double quotes with control and surrogate characters escaped
     */
    public static String quote(String name) {
        StringBuilder out = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isISOControl(c) || Character.isSurrogate(c) && !isPairedAt(name, i)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean isPairedAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemaphoreName other && other.namespace.equals(namespace) && other.bare.equals(bare);
    }

    @Override
    public int hashCode() {
        return portable().hashCode();
    }

    @Override
    public String toString() {
        return portable();
    }
}
