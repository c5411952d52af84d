package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "release", mixinStandardHelpOptions = true,
        description = {"Give permits back, waking as many waiters in any process.",
            "",
            "Also the repair for a semaphore that lost permits to a process killed while holding them."
                    + " On Windows the kernel refuses a release past the maximum; on Linux POSIX semaphores"
                    + " have no maximum, so check 'namedsem info' first."})
final class ReleaseCommand extends SemaphoreCommand implements Callable<Integer> {
    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "how many (default: ${DEFAULT-VALUE})")
    int count;

    @CommandLine.Mixin
    VerboseOption verbose = new VerboseOption();


    @CommandLine.Mixin
    KindOption kind;

    @Override
    public Integer call() {
        try (NamedSemaphore sem = KindLookup.open(name, kind)) {
            int before = sem.release(count);
            if (verbose.verbose) {
                out().println("released " + count + " on " + sem.osName() + " (" + before
                        + " free before, " + sem.availablePermits() + " now)");
            }
        }
        return ExitCodes.OK;
    }
}
