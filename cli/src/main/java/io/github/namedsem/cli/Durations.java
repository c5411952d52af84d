package io.github.namedsem.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses {@code --timeout} values as shell users write them: bare seconds ({@code 5}, {@code 0.5},
 * as {@code flock -w} and {@code timeout} take them), a number and a unit ({@code 500ms},
 * {@code 1.5m}, {@code 1d}), several of those from the largest unit down ({@code 1m30s},
 * {@code 1h2m}), or ISO-8601 ({@code PT5S}, {@code P1DT2H}).
 */
final class Durations implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    /** Units from the largest down, with their length in milliseconds. */
    private static final List<String> UNITS = List.of("d", "h", "m", "s", "ms");
    private static final long[] MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        if (NUMBER.matcher(value).matches()) {
            return ofMillis(value, new BigDecimal(value), 1_000L);
        }
        if (value.startsWith("P") || value.startsWith("p")) {
            return iso(value);
        }
        Matcher m = PART.matcher(value);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        int previousUnit = -1;
        while (m.find() && m.start() == end) {
            int unit = UNITS.indexOf(m.group(2));
            if (unit <= previousUnit) {
                throw invalid(value, "write each unit once, from the largest down, as in 1h30m");
            }
            previousUnit = unit;
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(MILLIS[unit])).movePointRight(6));
            end = m.end();
        }
        if (end != value.length() || value.isEmpty()) {
            throw invalid(value, "use seconds (5, 0.5), a number and a unit (500ms, 2s, 1.5m, 1h, 1d),"
                    + " several of them (1m30s) or ISO-8601 (PT5S); 0 means do not wait");
        }
        return ofNanos(value, nanos);
    }

    private static Duration ofMillis(String value, BigDecimal amount, long millisPerUnit) {
        return ofNanos(value, amount.multiply(BigDecimal.valueOf(millisPerUnit)).movePointRight(6));
    }

    private static Duration ofNanos(String value, BigDecimal nanos) {
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw invalid(value, "too long (at most about 292 years)");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static Duration iso(String value) {
        Duration d;
        try {
            d = Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw invalid(value, "not an ISO-8601 duration such as PT5S, PT1M30S or P1D");
        }
        if (d.isNegative()) {
            throw invalid(value, "a duration cannot be negative");
        }
        return d;
    }

    private static CommandLine.TypeConversionException invalid(String value, String why) {
        return new CommandLine.TypeConversionException("invalid duration '" + value + "': " + why);
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
