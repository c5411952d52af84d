package io.github.namedsem.cli;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How {@code acquire} and {@code run} wait for a permit, spelt as {@code flock(1)} spells it:
 * {@code -w}/{@code --timeout}, {@code -n} for not waiting, {@code -E} for the status on a miss.
 */
final class WaitOptions {
    @Option(names = {"-w", "--timeout"}, paramLabel = "DURATION", converter = Durations.class,
            description = "give up waiting after this long: seconds (5, 0.5) or with units (500ms, 1m30s, 2h, 1d,"
                    + " PT5S); 0 means do not wait (default: wait as long as it takes)")
    Duration timeout;

    @Option(names = {"-n", "--nonblock"}, description = "do not wait: fail at once if no permit is free (--timeout 0)")
    boolean nonblock;

    @Option(names = {"-E", "--conflict-exit-code"}, paramLabel = "STATUS", defaultValue = "75",
            converter = ExitStatus.class,
            description = "exit status when no permit came in time (default: ${DEFAULT-VALUE}, EX_TEMPFAIL)")
    int conflictExitCode = ExitCodes.TIMED_OUT;

    @Option(names = {"-q", "--quiet"}, description = "no status line while waiting")
    boolean quiet;

    /** The timeout to use: zero with {@code -n}, null for none. */
    Duration timeout() {
        return nonblock ? Duration.ZERO : timeout;
    }

    /** Options given but without effect, for a warning. */
    String ignored() {
        return nonblock && timeout != null ? "--timeout (-n means do not wait)" : null;
    }

    /** An exit status, 0 to 255. */
    static final class ExitStatus implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parse(value);
        }

        static int parse(String value) {
            if (value.matches("[0-9]{1,3}") && Integer.parseInt(value) <= 255) {
                return Integer.parseInt(value);
            }
            throw new CommandLine.TypeConversionException("invalid exit status '" + value
                    + "': use a number from 0 to 255");
        }
    }
}
