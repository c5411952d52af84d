package io.github.namedsem.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List every named semaphore visible to this user (Linux: /dev/shm/sem.*, and the crash-safe"
                + " ones recorded in /dev/shm/namedsem-sysv-*) with its kind and count.",
            "",
            "/dev/shm is shared by every program on the machine: entries that are not usable semaphores (bad"
                    + " names, links, empty or damaged files, junk markers) and semaphores this user may not open"
                    + " are listed with what is wrong instead of a count; the listing goes on and exits 0.",
            "",
            "Windows has no documented way to enumerate named kernel objects: there list fails and says so,"
                    + " and 'info NAME' shows a semaphore whose name you know.",
            "",
            "--json prints an array of the objects 'info --json' prints; an entry that could not be opened"
                    + " has available null and an extra key error (e.g. \"EACCES\", or what is wrong with the file)."})
final class ListCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print JSON (stable, documented above)")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<Map<String, Object>> all = new ArrayList<>(Inspection.listStandard());
        all.addAll(Inspection.listCrashSafe());
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(all));
            return ExitCodes.OK;
        }
        out.printf("%-32s %-10s %9s %5s %-10s %-5s %s%n", "NAME", "KIND", "AVAILABLE", "MAX", "OWNER", "MODE", "HOLDERS");
        for (Map<String, Object> s : all) {
            Object available = s.containsKey("error") ? "-" : s.get("available");
            out.printf("%-32s %-10s %9s %5s %-10s %-5s %s%n", Text.printable(s.get("name")), s.get("kind"), available,
                    orDash(s.get("max")), Text.printable(orDash(s.get("owner"))), orDash(s.get("mode")),
                    s.containsKey("error") ? "error: " + Text.printable(s.get("error")) : HolderText.summary(s));
        }
        return ExitCodes.OK;
    }

    private static Object orDash(Object value) {
        return value == null ? "-" : value;
    }
}
