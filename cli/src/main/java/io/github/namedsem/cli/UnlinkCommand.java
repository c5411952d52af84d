package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "unlink", mixinStandardHelpOptions = true,
        description = {"Remove a semaphore's name.",
            "",
            "Processes that have it open keep using it; a later 'create' makes a new, unrelated semaphore."
                    + " On Windows there is no name to remove: a semaphore disappears with its last handle,"
                    + " so this reports that and changes nothing."})
final class UnlinkCommand extends SemaphoreCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "succeed also when no such semaphore exists")
    boolean force;

    @CommandLine.Mixin
    KindOption kind;

    @CommandLine.Mixin
    VerboseOption verbose = new VerboseOption();


    @Override
    public Integer call() {
        if (!kind.crashSafe && !KindLookup.exists(name, SemaphoreKind.STANDARD)
                && KindLookup.exists(name, SemaphoreKind.CRASH_SAFE)) {
            kind.crashSafe = true; // the name is a crash-safe semaphore's: remove that, as info would show it
        }
        if (NamedSemaphore.unlink(name, kind.options())) {
            if (verbose.verbose) {
                out().println("unlinked " + name + (kind.crashSafe ? " (crash-safe)" : ""));
            }
            if (!kind.crashSafe && KindLookup.exists(name, SemaphoreKind.CRASH_SAFE)) {
                err().println("namedsem: a crash-safe semaphore named " + name + " exists too; remove it with"
                        + " 'namedsem unlink " + name + " --crash-safe'");
            }
            return ExitCodes.OK;
        }
        if (!kind.crashSafe && System.getProperty("os.name", "").startsWith("Windows")) {
            out().println("nothing to unlink: on Windows " + name + " disappears when the last"
                    + " process closes it");
            return ExitCodes.OK;
        }
        if (force) {
            return ExitCodes.OK;
        }
        err().println("namedsem: no semaphore named " + (name.startsWith("/") ? name : "/" + name)
                + " to unlink (ENOENT); add --force to treat that as success");
        return ExitCodes.ERROR;
    }
}
