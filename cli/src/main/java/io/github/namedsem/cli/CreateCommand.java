package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a semaphore with --permits free permits (at most --permits at once).",
            "",
            "Fails if the name exists, unless --exist-ok is given; then the existing semaphore is left as it"
                    + " is. On Linux the semaphore persists until 'namedsem unlink' or a reboot; on Windows it"
                    + " lives only while some process has it open, so create it from a process that stays."})
final class CreateCommand extends SemaphoreCommand implements Callable<Integer> {
    @Option(names = "--permits", paramLabel = "N", defaultValue = "1",
            description = "the maximum count (default: ${DEFAULT-VALUE})")
    int permits;

    @Option(names = "--initial", paramLabel = "I",
            description = "the count to start with (default: the same as --permits)")
    Integer initial;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "0600", converter = OctalMode.class,
            description = "POSIX permission bits, in octal, before the umask (default: ${DEFAULT-VALUE},"
                    + " owner only; 0660 lets the group in)")
    int mode;

    @Option(names = "--exist-ok", description = "succeed if the semaphore already exists, leaving it as it is")
    boolean existOk;

    @CommandLine.Mixin
    KindOption kind;

    @CommandLine.Mixin
    VerboseOption verbose = new VerboseOption();


    @Override
    public Integer call() {
        int start = initial == null ? permits : initial;
        SemaphoreOptions options = kind.options().mode(mode);
        KindLookup.refuseOtherKind(name, kind.kind());
        try (NamedSemaphore sem = existOk
                ? RunCommand.openOrCreate(name, start, permits, options)
                : NamedSemaphore.create(name, start, permits, options)) {
            if (!sem.created()) {
                warnIgnoredSettings(sem);
            }
            if (verbose.verbose) {
                out().println(sem.created()
                        ? "created " + sem.osName() + " with " + start + " of " + permits + " permits free"
                        : "exists " + sem.osName() + " (" + Waiting.freeText(sem) + "); left as it was");
            }
        }
        return ExitCodes.OK;
    }

    /** With --exist-ok, an existing semaphore keeps its count, maximum and mode: say so if others were asked for. */
    private void warnIgnoredSettings(NamedSemaphore sem) {
        var parsed = spec.commandLine().getParseResult();
        String given = java.util.stream.Stream.of("--permits", "--initial", "--mode")
                .filter(parsed::hasMatchedOption).collect(java.util.stream.Collectors.joining(", "));
        if (!given.isEmpty()) {
            warn(sem.osName() + " already exists and is left as it was (" + Waiting.freeText(sem) + "): " + given
                    + " ignored");
        }
    }

    /** Parses "0600", "600" or "0o600" as octal. */
    static final class OctalMode implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            String digits = value.startsWith("0o") ? value.substring(2) : value;
            if (!digits.matches("[0-7]{1,4}")) {
                throw new CommandLine.TypeConversionException("invalid mode '" + value
                        + "': use octal permission bits such as 0600, 0660 or 0666");
            }
            return Integer.parseInt(digits, 8);
        }
    }
}
