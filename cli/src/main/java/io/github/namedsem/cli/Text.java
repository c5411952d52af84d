package io.github.namedsem.cli;

/**
 * Text from /dev/shm and holder records is anyone's: a file name with an escape sequence could
 * rewrite the user's terminal. Everything namedsem prints as text passes through here.
 */
final class Text {
    private Text() {}

    /** The string with control characters as {@code \xNN} (and {@code \} as {@code \\}), so nothing in it acts on a terminal. */
    static String printable(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '\\') {
                out.append("\\\\");
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
