package io.github.namedsem.cli;

import java.util.List;
import java.util.Map;
import io.github.namedsem.SemaphoreKind;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List every named semaphore visible to this user (Linux: /dev/shm/sem.*, and the crash-safe"
                + " ones recorded in /dev/shm/namedsem-sysv-*) with its kind and count.",
            "",
            "Semaphores this user may not open are listed with their error instead of a count.",
            "",
            "Windows has no documented way to enumerate named kernel objects: there list fails and says so,"
                    + " and 'info NAME' shows a semaphore whose name you know.",
            "",
            "--json prints an array of the objects 'info --json' prints; an entry that could not be opened"
                    + " has available null and an extra key error (e.g. \"EACCES\")."})
final class ListCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print JSON (stable, documented above)")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        Inspection.listNames().forEach(n -> all.add(Inspection.describeOrError(n, SemaphoreKind.STANDARD)));
        Inspection.listCrashSafeNames().forEach(n -> all.add(Inspection.describeOrError(n, SemaphoreKind.CRASH_SAFE)));
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(all));
            return ExitCodes.OK;
        }
        out.printf("%-32s %-10s %9s %5s %-10s %s%n", "NAME", "KIND", "AVAILABLE", "MAX", "OWNER", "MODE");
        for (Map<String, Object> s : all) {
            Object available = s.containsKey("error") ? s.get("error") : s.get("available");
            out.printf("%-32s %-10s %9s %5s %-10s %s%n", s.get("name"), s.get("kind"), available,
                    s.get("max") == null ? "-" : s.get("max"), s.get("owner") == null ? "-" : s.get("owner"),
                    s.get("mode") == null ? "-" : s.get("mode"));
        }
        return ExitCodes.OK;
    }
}
