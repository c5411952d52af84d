package io.github.namedsem.cli;

import java.util.List;
import java.util.Map;

/**
 * Parses {@code namedsem run ...} without picocli. Building picocli's model of every command
 * costs more than the rest of a {@code run} together, and {@code run} is started once per job;
 * this parser knows exactly the options that {@link RunCommand} declares for picocli (a test
 * holds the two together) and follows the same conventions, and leaves {@code --help} to picocli.
 *
 * <p>Options may come before and after NAME; the first argument after NAME that is not an
 * option starts COMMAND (as with {@code flock}, {@code sudo}, {@code timeout}), and {@code --}
 * ends the options explicitly. Long options take {@code --name value} or {@code --name=value};
 * short ones may be grouped ({@code -nq}) and take {@code -w 5}, {@code -w5} or {@code -w=5}.
 */
final class RunArguments {
    private RunArguments() {}

    /** A command line that is wrong; the message is picocli's wording for the same mistake. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Every option of {@code run}, by each of its names, and whether it takes a value. */
    static final Map<String, Boolean> TAKES_VALUE = Map.ofEntries(
            Map.entry("--create", false), Map.entry("--exist-ok", false), Map.entry("--crash-safe", false),
            Map.entry("-n", false), Map.entry("--nonblock", false), Map.entry("-q", false), Map.entry("--quiet", false),
            Map.entry("-v", false), Map.entry("--verbose", false), Map.entry("-h", false), Map.entry("--help", false),
            Map.entry("-V", false), Map.entry("--version", false),
            Map.entry("--permits", true), Map.entry("--count", true), Map.entry("-w", true), Map.entry("--timeout", true),
            Map.entry("-E", true), Map.entry("--conflict-exit-code", true));

    /**
     * Parses the arguments after {@code run}.
     *
     * @return the command ready to {@linkplain RunCommand#call() call}, or null when help or the
     *     version was asked for (picocli prints those)
     * @throws UsageException if the command line is wrong
     */
    static RunCommand parse(List<String> args) throws UsageException {
        RunCommand run = new RunCommand();
        int i = 0;
        boolean optionsEnded = false;
        while (i < args.size()) {
            String arg = args.get(i++);
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String option = eq < 0 ? arg : arg.substring(0, eq);
                Boolean takesValue = TAKES_VALUE.get(option);
                if (takesValue == null) {
                    throw new UsageException("Unknown option: '" + arg + "'");
                }
                if (!takesValue && eq >= 0) {
                    throw new UsageException("option '" + option + "' should be specified without '"
                            + arg.substring(eq + 1) + "' parameter");
                }
                if (takesValue && eq < 0 && i == args.size()) {
                    throw missingValue(option);
                }
                String value = !takesValue ? null : eq >= 0 ? arg.substring(eq + 1) : args.get(i++);
                if (!set(run, option, value)) {
                    return null;
                }
            } else if (!optionsEnded && arg.startsWith("-") && arg.length() > 1) {
                i = shortOptions(run, args, i, arg);
                if (i < 0) {
                    return null;
                }
            } else if (run.name == null) {
                run.name = arg;
                optionsEnded = false; // options may follow NAME, as in 'run jobs --create -- make'
            } else {
                run.command = List.copyOf(args.subList(i - 1, args.size()));
                break;
            }
        }
        if (run.name == null || run.command == null) {
            throw new UsageException(run.name == null ? "Missing required parameters: 'NAME', 'COMMAND'"
                    : "Missing required parameter: 'COMMAND'");
        }
        return run;
    }

    /** A group such as {@code -nq} or {@code -nw5}; returns the next index, or -1 for help. */
    private static int shortOptions(RunCommand run, List<String> args, int next, String group) throws UsageException {
        for (int c = 1; c < group.length(); c++) {
            String option = "-" + group.charAt(c);
            Boolean takesValue = TAKES_VALUE.get(option);
            if (takesValue == null) {
                throw new UsageException(c == 1 ? "Unknown option: '" + group + "'"
                        : "Unknown option: '" + option + "' in '" + group + "'");
            }
            if (!takesValue) {
                if (!set(run, option, null)) {
                    return -1;
                }
                continue;
            }
            String rest = group.substring(c + 1);
            String value;
            if (!rest.isEmpty()) {
                value = rest.startsWith("=") ? rest.substring(1) : rest;
            } else if (next < args.size()) {
                value = args.get(next++);
            } else {
                throw missingValue(option);
            }
            set(run, option, value);
            return next;
        }
        return next;
    }

    /** Applies one option; false for help and version. */
    private static boolean set(RunCommand run, String option, String value) throws UsageException {
        try {
            switch (option) {
                case "--create" -> run.create = true;
                case "--exist-ok" -> run.existOk = true;
                case "--crash-safe" -> run.kind.crashSafe = true;
                case "-n", "--nonblock" -> run.waitOptions.nonblock = true;
                case "-q", "--quiet" -> run.waitOptions.quiet = true;
                case "-v", "--verbose" -> run.verbose.verbose = true;
                case "--permits" -> run.permits = integer(option, value);
                case "--count" -> run.count = integer(option, value);
                case "-w", "--timeout" -> run.waitOptions.timeout = Durations.parse(value);
                case "-E", "--conflict-exit-code" -> run.waitOptions.conflictExitCode = WaitOptions.ExitStatus.parse(value);
                default -> {
                    return false; // -h, --help, -V, --version
                }
            }
            return true;
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw new UsageException("Invalid value for option '" + option + "': " + e.getMessage());
        }
    }

    private static int integer(String option, String value) throws UsageException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException("Invalid value for option '" + option + "': '" + value + "' is not an int");
        }
    }

    private static UsageException missingValue(String option) {
        return new UsageException("Missing required parameter for option '" + option + "'");
    }
}
