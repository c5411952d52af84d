package io.github.namedsem.zookeeper;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the semaphore znode holds: {@code {"format":1,"max":N,"creator":"..."}}. The maximum is
 * stored once, here, so that every handle enforces the same one.
 *
 * @param format the layout version of the semaphore's znodes
 * @param max the maximum number of permits, which is the number of slots
 * @param creator who created it (host, process, session), for people reading the tree
 */
record SemaphoreRecord(int format, int max, String creator) {
    /** The layout this code writes and reads: slots/k permits and a queue/ of waiters. */
    static final int FORMAT = 1;

    private static final Pattern JSON = Pattern.compile(
            "\\{\\s*\"format\"\\s*:\\s*(\\d{1,9})\\s*,\\s*\"max\"\\s*:\\s*(\\d{1,9})\\s*,\\s*\"creator\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*}\\s*");

    byte[] toBytes() {
        String escaped = creator.replace("\\", "\\\\").replace("\"", "\\\"");
        return ("{\"format\":" + format + ",\"max\":" + max + ",\"creator\":\"" + escaped + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a record.
     *
     * @return the record, or {@code null} if the bytes are not one
     */
    static SemaphoreRecord parse(byte[] data) {
        if (data == null) {
            return null;
        }
        Matcher m = JSON.matcher(new String(data, StandardCharsets.UTF_8));
        if (!m.matches()) {
            return null;
        }
        String creator = m.group(3).replaceAll("\\\\(.)", "$1");
        return new SemaphoreRecord(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), creator);
    }
}
