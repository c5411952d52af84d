package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.SemaphoreKind;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show a semaphore's free permits, maximum, OS-level name and kind, without taking a permit.",
            "",
            "The maximum is shown where the OS records it (Windows); POSIX semaphores have none.",
            "",
            "--json prints one object with exactly these keys, in this order: name, osName, kind (standard or"
                    + " crash-safe), available, max (null where unknown), and for standard semaphores on Linux file,"
                    + " owner, mode (octal string). On Windows osName is the kernel object's name (e.g. Global\\jobs)."})
final class InfoCommand extends SemaphoreCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print JSON (stable, documented above)")
    boolean json;

    @CommandLine.Mixin
    KindOption kind;


    @Override
    public Integer call() {
        Map<String, Object> info;
        try {
            info = Inspection.describe(name, kind.kind());
        } catch (NoSuchSemaphoreException notStandard) {
            if (kind.crashSafe) {
                throw notStandard;
            }
            try { // without --crash-safe, show the crash-safe semaphore of that name if there is one
                info = Inspection.describe(name, SemaphoreKind.CRASH_SAFE);
            } catch (NamedSemaphoreException | UnsupportedOperationException neither) {
                throw notStandard;
            }
        }
        var out = out();
        if (json) {
            out.println(Json.write(info));
            return ExitCodes.OK;
        }
        info.forEach((key, value) -> out.printf("%-10s %s%n", key + ":",
                value == null && key.equals("max") ? "unknown (POSIX semaphores record no maximum)" : value));
        return ExitCodes.OK;
    }
}
