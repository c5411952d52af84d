package io.github.namedsem.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** The holder facts of an {@code info} object, in words: "held by pid 4123 (make -j8), started 12:03:10". */
final class HolderText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private HolderText() {}

    /** One line per fact, for {@code info}. */
    static List<String> lines(Map<String, Object> info) {
        List<String> lines = new java.util.ArrayList<>();
        boolean crashSafe = "crash-safe".equals(info.get("kind"));
        for (Map<?, ?> h : holders(info)) {
            String state = String.valueOf(h.get("state"));
            String line = plural((Integer) h.get("permits")) + " held by pid " + h.get("pid") + command(h)
                    + started(h);
            line += switch (state) {
                case "alive" -> "";
                case "dead" -> crashSafe ? ", which no longer exists (the kernel gave its permits back)"
                        : ", which no longer exists";
                default -> ", which may or may not still run (/proc does not show it)";
            };
            lines.add(Text.printable(line) + (Boolean.TRUE.equals(h.get("trusted")) ? ""
                    : " [recorded by another user: never repaired]"));
        }
        int dead = (Integer) info.get("deadPermits");
        if (dead > 0 && !crashSafe) {
            lines.add(plural(dead) + " held by processes that no longer exist: 'namedsem repair " + Text.printable(info.get("name"))
                    + "' gives them back");
        }
        if (lines.isEmpty()) {
            lines.add("none recorded");
        }
        lines.add(crashSafe ? "(holders that ran with 'namedsem run'; the kernel returns a dead holder's permits)"
                : "(best effort: only holders that ran with 'namedsem run' are recorded; other programs' are not seen)");
        return lines;
    }

    /** A few words for {@code list}'s HOLDERS column. */
    static String summary(Map<String, Object> info) {
        List<Map<?, ?>> holders = holders(info);
        long alive = holders.stream().filter(h -> "alive".equals(h.get("state"))).count();
        int dead = (Integer) info.get("deadPermits");
        String text = alive == 0 ? "-" : alive + " recorded";
        if (dead > 0 && !"crash-safe".equals(info.get("kind"))) {
            text += ", " + plural(dead) + " of dead processes";
        }
        return text;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> holders(Map<String, Object> info) {
        Object holders = info.get("holders");
        return holders == null ? List.of() : (List<Map<?, ?>>) holders;
    }

    private static String command(Map<?, ?> h) {
        Object command = h.get("command");
        return command == null || command.toString().isEmpty() ? "" : " (" + command + ")";
    }

    private static String started(Map<?, ?> h) {
        Object started = h.get("started");
        return started == null ? "" : ", started " + TIME.format(Instant.parse(started.toString()));
    }

    static String plural(int permits) {
        return permits + (permits == 1 ? " permit" : " permits");
    }
}
