package io.github.namedsem.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses {@code --timeout} values such as {@code 500ms}, {@code 2s}, {@code 1.5m}, {@code 1h}, {@code 0}. */
final class Durations implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        if (value.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("invalid duration '" + value
                    + "': use a number and a unit, e.g. 500ms, 2s, 1.5m or 1h (0 means do not wait)");
        }
        BigDecimal millisPerUnit = BigDecimal.valueOf(switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            default -> 3_600_000L;
        });
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(millisPerUnit).movePointRight(6);
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new CommandLine.TypeConversionException("invalid duration '" + value + "': too long");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** Short human form: {@code 250ms}, {@code 2.0s}, {@code 3m05s}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format("%.1fs", ms / 1000.0);
        }
        return String.format("%dm%02ds", ms / 60_000, ms / 1000 % 60);
    }
}
