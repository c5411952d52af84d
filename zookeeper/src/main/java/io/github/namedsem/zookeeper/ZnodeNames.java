package io.github.namedsem.zookeeper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Maps semaphore names to znode names and back, reversibly.
 *
 * <p>Only what ZooKeeper refuses in a path element is percent-encoded (as the UTF-8 bytes of the
 * character, {@code %XX}), together with {@code %} itself so that decoding is unambiguous:
 * {@code /}, control characters (U+0000 to U+001F, U+007F to U+009F), and the ranges
 * ZooKeeper's path check rejects, U+D800 to U+F8FF (surrogates, so every character outside the
 * Basic Multilingual Plane, and the private use area) and U+FFF0 to U+FFFF. Everything else,
 * including most non-Latin text, stays readable in {@code zkCli}. The names {@code .} and
 * {@code ..}, which ZooKeeper also refuses, are refused earlier by namedsem's naming rule.
 */
final class ZnodeNames {
    private ZnodeNames() {}

    static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int width = Character.charCount(cp);
            if (needsEscape(cp)) {
                for (byte b : name.substring(i, i + width).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            } else {
                out.appendCodePoint(cp);
            }
            i += width;
        }
        return out.toString();
    }

    private static boolean needsEscape(int cp) {
        return cp == '%' || cp == '/' || cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F)
                || (cp >= 0xD800 && cp <= 0xF8FF) || (cp >= 0xFFF0 && cp <= 0xFFFF) || cp > 0xFFFF;
    }

    static String decode(String znode) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(znode.length());
        for (int i = 0; i < znode.length(); i++) {
            char c = znode.charAt(i);
            if (c == '%' && i + 2 < znode.length() && isHex(znode.charAt(i + 1)) && isHex(znode.charAt(i + 2))) {
                bytes.write(Integer.parseInt(znode, i + 1, i + 3, 16));
                i += 2;
            } else if (c == '%') {
                throw new IllegalArgumentException("Znode name " + znode + " is not one namedsem made: '%' at "
                        + i + " is not followed by two hex digits");
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
