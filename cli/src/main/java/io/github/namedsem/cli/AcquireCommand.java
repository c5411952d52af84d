package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "give up after this long, e.g. 500ms, 2s, 1m; 0 means do not wait"
                    + " (default: wait as long as it takes). Exit status 75 when it runs out.")
    Duration timeout;

    @Option(names = {"-q", "--quiet"}, description = "no status line while waiting")
    boolean quiet;


    @CommandLine.Mixin
    KindOption kind;

    @Override
    public Integer call() {
        try (NamedSemaphore sem = KindLookup.open(name, kind)) {
            if (sem.kind() == SemaphoreKind.CRASH_SAFE) {
                throw new UnsupportedOperationException("" + sem.osName() + " is a crash-safe semaphore, whose"
                        + " permits the kernel gives back when their holder exits, so 'acquire' cannot keep one after"
                        + " it ends; hold it for a command with 'namedsem run " + name + " -- COMMAND' instead");
            }
            Waiting waiting = new Waiting(sem);
            try {
                if (!waiting.acquire(timeout, new StatusLine(System.err, quiet))) {
                    return timedOut(sem, timeout);
                }
                waiting.commit(() -> {}); // from here the permit is the caller's to keep
                Waiting.printAcquired(out(), sem);
                return ExitCodes.OK;
            } finally {
                waiting.finish();
            }
        }
    }
}
