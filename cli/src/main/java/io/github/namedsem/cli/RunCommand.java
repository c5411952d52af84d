package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run}: picocli's model of it serves help, completion and the man page; the command line
 * itself is parsed by {@link RunArguments}, which needs no model and so starts in a fraction of
 * the time (a {@code run} is started once per job, often thousands of times).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Wait for a permit, run COMMAND, and give the permit back when it ends.",
            "",
            "At most N commands run at once across every shell and build step on the machine that uses the same"
                    + " NAME, including programs that use the semaphore directly. COMMAND inherits stdin, stdout"
                    + " and stderr, and namedsem exits with its status (127: not found, 126: cannot be executed;"
                    + " then no permit is taken).",
            "",
            "Options go before COMMAND: the first argument after NAME that is not an option of namedsem starts"
                    + " COMMAND, so 'namedsem run jobs ls -d /tmp' works; '--' before COMMAND is optional.",
            "",
            "COMMAND and everything it starts run in a session of their own and never outlive namedsem: when"
                    + " namedsem ends, even by kill -9, they are killed. SIGINT or SIGTERM while waiting leaves the"
                    + " count as it was. While COMMAND runs, SIGINT or SIGTERM to namedsem sends SIGTERM to COMMAND"
                    + " and everything it started, waits up to 10 s for COMMAND to end, then SIGKILLs whatever is left,"
                    + " and gives the permit back. When COMMAND ends, what it left running is killed."})
final class RunCommand extends SemaphoreCommand implements Callable<Integer> {
    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "1..*",
            description = "the command and its arguments")
    List<String> command;

    @Option(names = "--create", description = "create the semaphore if it does not exist (with --permits)")
    boolean create;

    @Option(names = "--permits", paramLabel = "N",
            description = "with --create: the number of permits (default: 1); an existing semaphore with another"
                    + " maximum is an error unless --exist-ok")
    Integer permits;

    @Option(names = "--exist-ok", description = "with --create: use an existing semaphore as it is, whatever its"
            + " maximum")
    boolean existOk;

    @Option(names = "--count", paramLabel = "K", defaultValue = "1",
            description = "hold K permits while COMMAND runs, taken at once (crash-safe kind; default: ${DEFAULT-VALUE})")
    int count = 1;

    @Option(names = "--jobserver", description = "serve COMMAND a GNU make jobserver (in MAKEFLAGS) whose job slots"
            + " are permits of the crash-safe semaphore NAME, so that make, ninja and cargo builds started this way share"
            + " NAME's permits as one machine-wide -j, and a crash of any of them gives its slots back (implies"
            + " --crash-safe; see docs/jobserver.md)")
    boolean jobserver;

    @Option(names = "--jobs", paramLabel = "N", description = "with --jobserver: at most N jobs of COMMAND at once"
            + " (default: as many as NAME's permits allow)")
    Integer jobs;

    @Option(names = "--jobserver-style", paramLabel = "STYLE", description = "with --jobserver: how MAKEFLAGS names"
            + " the jobserver: pipe (--jobserver-auth=3,4, default: every GNU make from 4.2, cargo) or fifo"
            + " (--jobserver-auth=fifo:PATH: make 4.4+, ninja 1.13+; make 4.3 stops on it)")
    String jobserverStyle;

    private Jobserver.Style style = Jobserver.Style.PIPE;

    @CommandLine.Mixin
    WaitOptions waitOptions = new WaitOptions();

    @CommandLine.Mixin
    VerboseOption verbose = new VerboseOption();

    @CommandLine.Mixin
    KindOption kind = new KindOption();


    @Override
    public Integer call() throws IOException, InterruptedException {
        warnIgnored();
        if (jobserver) {
            prepareJobserver();
        }
        Optional<CommandLookup.Problem> problem = CommandLookup.check(command.get(0));
        if (problem.isPresent()) {
            err().println("namedsem: " + problem.get().message());
            err().flush();
            return problem.get().exitStatus();
        }
        try (WatcherFifo.Early early = ProcessTree.prepare();
                NamedSemaphore sem = create ? openOrCreate() : KindLookup.open(name, kind, holderOptions())) {
            Waiting waiting = new Waiting(sem, count);
            try {
                Runnable beforeBlocking = early == null ? () -> {} : early::close;
                if (!waiting.acquire(waitOptions.timeout(), new StatusLine(System.err, waitOptions.quiet), beforeBlocking)) {
                    return timedOut(sem, waitOptions);
                }
                if (verbose.verbose) {
                    err().println("namedsem: " + Waiting.acquiredText(sem, count) + ", running " + command.get(0));
                    err().flush();
                }
                return runHolding(sem, waiting, early);
            } finally {
                waiting.finish();
            }
        } catch (NoSuchSemaphoreException e) {
            if (!jobserver) {
                throw e;
            }
            throw new CliErrors.Failure("no crash-safe semaphore named " + name + "; create it with 'namedsem create "
                    + name + " --crash-safe --permits N' (N: how many jobs all builds together may run, e.g."
                    + " $(nproc)), or add --create --permits N");
        }
    }

    /** Checks the --jobserver options, makes NAME crash-safe, and warns about -j in COMMAND. */
    private void prepareJobserver() {
        Optional<String> unsupported = Jobserver.unsupported();
        if (unsupported.isPresent()) {
            throw new CliErrors.Failure(unsupported.get());
        }
        if (count != 1) {
            throw new CliErrors.Failure("--count cannot be used with --jobserver: every job of the build takes one"
                    + " permit of " + name + "; use --jobs N to bound the build");
        }
        if (jobs != null && jobs < 1) {
            throw new CliErrors.Failure("--jobs must be 1 or more, not " + jobs);
        }
        try {
            style = jobserverStyle == null ? Jobserver.Style.PIPE : Jobserver.Style.parse(jobserverStyle);
        } catch (CommandLine.TypeConversionException e) {
            throw new CliErrors.Failure("--jobserver-style: " + e.getMessage());
        }
        kind.crashSafe = true; // only SEM_UNDO brings back the permits of a build that dies
        for (String own : Jobserver.ownPoolArguments(command)) {
            warn("'" + own + "' gives " + command.get(0) + " a pool of jobs of its own, outside the jobserver of "
                    + name + " (make says '-jN forced in submake'); leave it out to take every job from " + name);
        }
    }

    private NamedSemaphore openOrCreate() {
        if (kind.crashSafe) {
            KindLookup.refuseOtherKind(name, SemaphoreKind.CRASH_SAFE);
        } else if (KindLookup.exists(name, SemaphoreKind.CRASH_SAFE)) {
            // created with --crash-safe earlier: use that one
            return checkPermits(KindLookup.open(name, kind, holderOptions()));
        }
        int n = permits == null ? 1 : permits;
        return checkPermits(openOrCreate(name, n, n, holderOptions().kind(kind.kind())));
    }

    /**
     * With {@code --create}: an existing semaphore whose maximum is not the {@code --permits}
     * asked for is refused unless {@code --exist-ok}, since its users and this command disagree on
     * how many may run. A POSIX semaphore records no maximum, so there only more free permits than
     * {@code --permits} proves a difference.
     */
    private NamedSemaphore checkPermits(NamedSemaphore sem) {
        if (sem.created() || existOk || permits == null) {
            return sem;
        }
        try {
            int n = permits;
            int available = sem.availablePermits();
            String differs = sem.maxPermits().isPresent()
                    ? sem.maxPermits().getAsInt() != n ? sem.maxPermits().getAsInt() + " permits" : null
                    : available > n ? available + " free permits" : null;
            if (differs != null) {
                throw new CliErrors.Failure(sem.osName() + " exists with " + differs + ", not the " + n
                        + " of --permits; add --exist-ok to use it as it is, or remove it first with 'namedsem unlink "
                        + name + "'");
            }
            return sem;
        } catch (RuntimeException e) {
            sem.close();
            throw e;
        }
    }

    /** 'info' names this process as the holder, with the command it runs, while it holds the permit. */
    private SemaphoreOptions holderOptions() {
        return SemaphoreOptions.defaults().recordHolders(true).holderCommand(String.join(" ", command));
    }

    /**
     * Opens {@code name} if it exists, else creates it. Unlike {@code NamedSemaphore.openOrCreate},
     * an existing semaphore is opened as {@code open} does: its handle has the maximum the OS
     * records, or none, rather than {@code max}, which would refuse releases the semaphore's
     * creator allowed.
     */
    static NamedSemaphore openOrCreate(String name, int initial, int max, SemaphoreOptions options) {
        try {
            return NamedSemaphore.open(name, options);
        } catch (NoSuchSemaphoreException absent) {
            return NamedSemaphore.openOrCreate(name, initial, max, options);
        }
    }

    private void warnIgnored() {
        if (!create && permits != null) {
            warn("--permits is ignored without --create");
        }
        if (!create && existOk) {
            warn("--exist-ok is ignored without --create");
        }
        if (!jobserver && (jobs != null || jobserverStyle != null)) {
            warn((jobs != null ? "--jobs" : "--jobserver-style") + " is ignored without --jobserver");
        }
        if (waitOptions.ignored() != null) {
            warn(waitOptions.ignored() + " is ignored");
        }
    }

    private int runHolding(NamedSemaphore sem, Waiting waiting, WatcherFifo.Early early) throws InterruptedException {
        ProcessTree tree;
        Jobserver server = null;
        try {
            if (jobserver) {
                server = Jobserver.start(sem, jobs == null ? 0 : jobs);
                Map<String, String> makeflags = server.environment(System.getenv("MAKEFLAGS"), style);
                tree = ProcessTree.start(command, env -> {
                    CallerLocale.restore(env);
                    env.putAll(makeflags);
                }, server.fifo(), early);
            } else {
                tree = ProcessTree.start(command, CallerLocale::restore, null, early);
            }
        } catch (IOException e) {
            new Releaser(sem, count, server).releaseOnce();
            err().println("namedsem: cannot run '" + command.get(0) + "': " + e.getMessage()
                    + " (the permit was given back)");
            err().flush();
            return CommandLookup.NOT_EXECUTABLE;
        }
        Releaser releaser = new Releaser(sem, count, server);
        try (tree) {
            if (!waiting.commit(() -> {
                tree.terminate(ProcessTree.GRACE);
                releaser.releaseOnce();
            })) {
                tree.terminate(ProcessTree.GRACE);
                releaser.releaseOnce();
                return ExitCodes.ERROR;
            }
            return tree.waitFor();
        } finally {
            // close() (end of try) has killed what the command left running; only now is the
            // permit free for the next command.
            releaser.releaseOnce();
        }
    }

    /**
     * The permit, and a jobserver's lent permits, go back once, from whichever of the main thread
     * and the signal hook gets there first.
     */
    private final class Releaser {
        private final NamedSemaphore sem;
        private final int count;
        private final Jobserver server;
        private boolean released;

        Releaser(NamedSemaphore sem, int count, Jobserver server) {
            this.sem = sem;
            this.count = count;
            this.server = server;
        }

        synchronized void releaseOnce() {
            if (!released) {
                released = true;
                try {
                    if (server != null) {
                        stopJobserver(server);
                    }
                } finally {
                    sem.release(count);
                }
            }
        }
    }

    private void stopJobserver(Jobserver server) {
        try {
            int missing = server.stop();
            if (missing > 0) {
                warn(missing + (missing == 1 ? " jobserver token was" : " jobserver tokens were") + " never given back"
                        + " (a process of " + command.get(0) + " ended holding it); the build ran with that many"
                        + " fewer jobs, and the permits are released now");
            }
        } catch (IOException e) {
            warn("the jobserver failed, so " + command.get(0) + " may have run fewer jobs at once than " + name
                    + " allowed: " + e.getMessage() + " (its permits are released)");
        }
    }
}
