package io.github.namedsem.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show a semaphore's free permits, maximum, OS-level name and kind, without taking a permit.",
            "",
            "The maximum is shown where the OS records it (Windows); POSIX semaphores have none.",
            "",
            "--json prints one object with exactly these keys, in this order: name, osName, kind, available,"
                    + " max (null where unknown), and on Linux file, owner, mode (octal string)."})
final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "the semaphore's name")
    String name;

    @Option(names = "--json", description = "print JSON (stable, documented above)")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, Object> info = Inspection.describe(name);
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(info));
            return ExitCodes.OK;
        }
        info.forEach((key, value) -> out.printf("%-10s %s%n", key + ":",
                value == null && key.equals("max") ? "unknown (POSIX semaphores record no maximum)" : value));
        return ExitCodes.OK;
    }
}
