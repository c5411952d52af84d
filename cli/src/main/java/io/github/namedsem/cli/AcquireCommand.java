package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "acquire", mixinStandardHelpOptions = true,
        description = {"Take one permit and KEEP it after namedsem exits.",
            "",
            "For signalling between scripts: the permit stays taken until someone runs 'namedsem release'"
                    + " (or a program releases it). To hold a permit only while a command runs, use"
                    + " 'namedsem run' instead, which always gives it back.",
            "",
            "Waits until a permit is free, or at most --timeout. While waiting, a status line is shown when"
                    + " stderr is a terminal. SIGINT or SIGTERM while waiting leaves the count as it was."})
final class AcquireCommand extends SemaphoreCommand implements Callable<Integer> {
    @CommandLine.Mixin
    WaitOptions waitOptions = new WaitOptions();

    @CommandLine.Mixin
    VerboseOption verbose = new VerboseOption();

    @CommandLine.Mixin
    KindOption kind;


    @Override
    public Integer call() {
        if (waitOptions.ignored() != null) {
            warn(waitOptions.ignored() + " is ignored");
        }
        try (NamedSemaphore sem = KindLookup.open(name, kind)) {
            if (sem.kind() == SemaphoreKind.CRASH_SAFE) {
                throw new UnsupportedOperationException("" + sem.osName() + " is a crash-safe semaphore, whose"
                        + " permits the kernel gives back when their holder exits, so 'acquire' cannot keep one after"
                        + " it ends; hold it for a command with 'namedsem run " + name + " -- COMMAND' instead");
            }
            Waiting waiting = new Waiting(sem, 1);
            try {
                if (!waiting.acquire(waitOptions.timeout(), new StatusLine(System.err, waitOptions.quiet))) {
                    return timedOut(sem, waitOptions);
                }
                waiting.commit(() -> {}); // from here the permit is the caller's to keep
                if (verbose.verbose) {
                    out().println(Waiting.acquiredText(sem, 1));
                }
                return ExitCodes.OK;
            } finally {
                waiting.finish();
            }
        }
    }
}
