package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show a semaphore's free permits, maximum, OS-level name, kind and holders, without taking a permit.",
            "",
            "The maximum is shown where the OS records it (Windows, crash-safe); POSIX semaphores have none."
                    + " Holders are the processes that hold permits through 'namedsem run' (or a program that asks"
                    + " the library to record them), with their command and start time, and whether they still"
                    + " exist. For the crash-safe kind the kernel also reports how many processes wait.",
            "",
            "--json prints one object with exactly these keys, in this order: name, osName, kind (standard or"
                    + " crash-safe), available, max (null where unknown), for standard semaphores on Linux file,"
                    + " owner, mode (octal string), then holders (an array of objects with pid, command, started"
                    + " (ISO-8601 or null), permits, state (alive, dead or unknown) and trusted), deadPermits,"
                    + " deadPermitsReturned (true where the kernel gave them back), waiters and lastPid (null"
                    + " where the OS does not report them). On Windows osName is the kernel object's name"
                    + " (e.g. Global\\jobs)."})
final class InfoCommand extends SemaphoreCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print JSON (stable, documented above)")
    boolean json;

    @CommandLine.Mixin
    KindOption kind;

    @Override
    public Integer call() {
        Map<String, Object> info;
        try (NamedSemaphore sem = KindLookup.open(name, kind)) {
            info = Inspection.describe(sem);
        }
        var out = out();
        if (KindLookup.kindsOf(name).size() > 1) {
            err().println("namedsem: " + name + " exists as both kinds; this is the " + info.get("kind") + " one ("
                    + ("crash-safe".equals(info.get("kind")) ? "without" : "with") + " --crash-safe for the other)");
        }
        if (json) {
            out.println(Json.write(info));
            return ExitCodes.OK;
        }
        info.forEach((key, value) -> {
            switch (key) {
                case "holders" -> {
                    var lines = HolderText.lines(info);
                    out.printf("%-10s %s%n", "holders:", lines.getFirst());
                    lines.subList(1, lines.size()).forEach(l -> out.printf("%-10s %s%n", "", l));
                }
                case "deadPermits", "deadPermitsReturned", "lastPid" -> { } // said in words above, or in --json
                case "waiters" -> out.printf("%-10s %s%n", "waiters:", value == null ? "unknown (" + (CliErrors.isWindows()
                        ? "Windows semaphore objects" : "POSIX semaphores") + " do not report them)" : value);
                default -> out.printf("%-10s %s%n", key + ":",
                        value == null && key.equals("max") ? "unknown (POSIX semaphores record no maximum)" : Text.printable(value));
            }
        });
        return ExitCodes.OK;
    }
}
