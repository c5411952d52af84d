package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Wait for a permit, run COMMAND, and give the permit back when it ends.",
            "",
            "At most N commands run at once across every shell and build step on the machine that uses the same"
                    + " NAME, including programs that use the semaphore directly. COMMAND inherits stdin, stdout"
                    + " and stderr, and namedsem exits with its status.",
            "",
            "Signals: SIGINT or SIGTERM while waiting leaves the count as it was. While COMMAND runs, namedsem"
                    + " passes SIGTERM on to it and to the processes it started (a terminal's Ctrl-C reaches them directly),"
                    + " waits up to 10 s for it to"
                    + " end, kills it if it does not, and gives the permit back either way. Only SIGKILL of namedsem"
                    + " itself can lose the permit (POSIX semaphores are not undone on exit); with --crash-safe not even that."})
final class RunCommand extends SemaphoreCommand implements Callable<Integer> {
    private static final Duration GRACE = Duration.ofSeconds(10);


    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "1..*",
            description = "the command and its arguments; put -- before it so its options stay its own")
    List<String> command;

    @Option(names = "--create", description = "create the semaphore if it does not exist (with --permits)")
    boolean create;

    @Option(names = "--permits", paramLabel = "N", defaultValue = "1",
            description = "with --create: the number of permits (default: ${DEFAULT-VALUE})")
    int permits;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "give up waiting after this long (e.g. 30s, 5m; 0: do not wait); exit status 75")
    Duration timeout;

    @Option(names = {"-q", "--quiet"}, description = "no status line while waiting")
    boolean quiet;

    @CommandLine.Mixin
    KindOption kind;


    @Override
    public Integer call() throws IOException, InterruptedException {
        try (NamedSemaphore sem = create ? openOrCreate() : KindLookup.open(name, kind, holderOptions())) {
            Waiting waiting = new Waiting(sem);
            try {
                if (!waiting.acquire(timeout, new StatusLine(System.err, quiet))) {
                    return timedOut(sem, timeout);
                }
                return runHolding(sem, waiting);
            } finally {
                waiting.finish();
            }
        }
    }

    private NamedSemaphore openOrCreate() {
        if (kind.crashSafe) {
            KindLookup.refuseOtherKind(name, SemaphoreKind.CRASH_SAFE);
        } else if (KindLookup.exists(name, SemaphoreKind.CRASH_SAFE)) {
            return KindLookup.open(name, kind, holderOptions()); // created with --crash-safe earlier: use that one
        }
        return NamedSemaphore.openOrCreate(name, permits, permits, holderOptions().kind(kind.kind()));
    }

    /** 'info' names this process as the holder, with the command it runs, while it holds the permit. */
    private SemaphoreOptions holderOptions() {
        return SemaphoreOptions.defaults().recordHolders(true).holderCommand(String.join(" ", command));
    }

    private int runHolding(NamedSemaphore sem, Waiting waiting) throws InterruptedException {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            CallerLocale.restore(builder.environment());
            process = builder.start();
        } catch (IOException e) {
            sem.release();
            throw new IllegalArgumentException("cannot run '" + command.get(0) + "': " + e.getMessage()
                    + " (the permit was given back)", e);
        }
        Releaser releaser = new Releaser(sem);
        if (!waiting.commit(() -> {
            stop(process);
            releaser.releaseOnce();
        })) {
            stop(process);
            releaser.releaseOnce();
            return ExitCodes.ERROR;
        }
        int status = process.waitFor();
        releaser.releaseOnce();
        return status;
    }

    /** SIGTERM to the command and everything it started, a grace period, then SIGKILL. */
    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The permit goes back once, from whichever of the main thread and the signal hook gets there first. */
    private static final class Releaser {
        private final NamedSemaphore sem;
        private boolean released;

        Releaser(NamedSemaphore sem) {
            this.sem = sem;
        }

        synchronized void releaseOnce() {
            if (!released) {
                released = true;
                sem.release();
            }
        }
    }
}
