package io.github.namedsem.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check what on this machine decides whether named semaphores work, are shared and last, and"
                + " explain each finding: /dev/shm (mounted, free space), the IPC namespace (containers), the"
                + " umask, systemd-logind's RemoveIPC, vm.max_map_count, temporary files left by killed namedsem"
                + " processes, and names that exist as both kinds.",
            "",
            "Each line starts with ok, info, warn or fail. Exit status 1 if any check fails, else 0."})
final class DoctorCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            out.println("info  doctor checks Linux machines; on Windows semaphore objects need no /dev/shm, and"
                    + " nothing removes them while a process has them open");
            return ExitCodes.OK;
        }
        boolean failed = false;
        for (Doctor.Finding f : new Doctor(Path.of("/")).run()) {
            out.printf("%-5s %s: %s%n", f.status().name().toLowerCase(Locale.ROOT), f.topic(), f.text());
            failed |= f.status() == Doctor.Status.FAIL;
        }
        return failed ? ExitCodes.ERROR : ExitCodes.OK;
    }
}
