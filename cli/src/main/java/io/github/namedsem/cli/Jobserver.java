package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A private GNU make jobserver for one command, whose tokens are permits of a crash-safe
 * semaphore lent on demand.
 *
 * <p>The protocol (GNU make manual, "Job Slots"): the jobserver is a pipe or FIFO holding one
 * byte per free job slot; a client reads a byte before starting a job and writes it back when
 * the job ends; every client also has one implicit slot it never reads a byte for. Here the
 * implicit slot is the permit {@code namedsem run} took before starting the command, and every
 * byte ever written to the FIFO stands for one more permit this JVM holds ({@link #lent}).
 *
 * <p>A jobserver cannot see that a client waits for a byte, so the pool keeps one spare: when
 * the FIFO is empty, every lent token is in use and another is most likely wanted, so one more
 * permit is taken (waiting fairly, as long as it takes) and written as a token; when tokens come
 * back and sit unused, all but one are read back and their permits released. An idle build
 * thus holds at most one permit more than it uses. Bytes a client writes that were never lent
 * (a buggy client) are read and dropped when the watcher sees them, unless a waiting client
 * takes one first: the protocol itself has no defence against such a client.
 *
 * <p>Every permit is taken with {@code SEM_UNDO}: when this JVM dies, even by {@code kill -9},
 * the kernel gives them all back. A client that dies holding a token takes that token out of
 * this command's pool only; its permit comes back when the command ends.
 */
final class Jobserver {
    /** The descriptors the command inherits, both open read-write on the FIFO. */
    static final int READ_FD = 3;
    static final int WRITE_FD = 4;

    /** How often the FIFO is looked at. */
    private static final long TICK_MILLIS = 10;
    /** How long returned tokens may sit unused before their permits go back to the semaphore. */
    private static final long SURPLUS_NANOS = 200_000_000L;

    /** How the command is told where the jobserver is. */
    enum Style {
        /** {@code --jobserver-auth=3,4}: every GNU make since 4.2, cargo, rustc; the default. */
        PIPE,
        /** {@code --jobserver-auth=fifo:PATH}: make 4.4 and later, ninja 1.13 (which needs it). */
        FIFO;

        static Style parse(String value) {
            return switch (value) {
                case "pipe" -> PIPE;
                case "fifo" -> FIFO;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not pipe or fifo");
            };
        }
    }

    private final NamedSemaphore semaphore;
    private final JobserverFifo fifo;
    private final int maxTokens;
    private final Thread lender = new Thread(this::lend, "namedsem-jobserver-lender");
    private final Thread watcher = new Thread(this::watch, "namedsem-jobserver-watcher");

    // guarded by this
    private int lent;
    private boolean wanted;
    private boolean acquiring;
    private boolean closed;
    private long surplusSince = -1;
    private IOException failure;

    private Jobserver(NamedSemaphore semaphore, JobserverFifo fifo, int maxTokens) {
        this.semaphore = semaphore;
        this.fifo = fifo;
        this.maxTokens = maxTokens;
        lender.setDaemon(true);
        watcher.setDaemon(true);
    }

    /**
     * Why this machine cannot serve a jobserver, if it cannot: the FIFO needs Linux's C library,
     * and the command needs the {@code sh} shim of {@link ProcessTree} to inherit the descriptors.
     */
    static Optional<String> unsupported() {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return Optional.of("--jobserver is provided on Linux only (see docs/jobserver.md for Windows)");
        }
        if (CommandLookup.find("setsid").isEmpty()) {
            return Optional.of("--jobserver needs setsid(1) from util-linux on the PATH to hand the jobserver to"
                    + " the command; install util-linux");
        }
        return Optional.empty();
    }

    /**
     * Starts serving tokens lent from {@code semaphore}, whose permit for the command's implicit
     * slot the caller already holds.
     *
     * @param jobs at most this many jobs at once (the implicit slot and {@code jobs - 1} tokens);
     *     0 for as many as the semaphore allows
     */
    static Jobserver start(NamedSemaphore semaphore, int jobs) throws IOException {
        // 0700: only this user's processes can reach the FIFO. Under $TMPDIR, as mktemp(1) does,
        // unless its path has blanks, which would split the FIFO's path in MAKEFLAGS.
        String tmpdir = System.getenv("TMPDIR");
        Path dir = tmpdir != null && !tmpdir.matches(".*\\s.*") && Path.of(tmpdir).isAbsolute()
                && Files.isDirectory(Path.of(tmpdir))
                ? Files.createTempDirectory(Path.of(tmpdir), "namedsem-jobserver-")
                : Files.createTempDirectory("namedsem-jobserver-");
        JobserverFifo fifo;
        try {
            fifo = JobserverFifo.create(dir.resolve("fifo"));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(dir);
            throw e;
        }
        Jobserver server = new Jobserver(semaphore, fifo, jobs == 0 ? Integer.MAX_VALUE : jobs - 1);
        server.lender.start();
        server.watcher.start();
        return server;
    }

    /** The FIFO, for the command's descriptors {@link #READ_FD} and {@link #WRITE_FD}. */
    Path fifo() {
        return fifo.path();
    }

    /**
     * {@code MAKEFLAGS} and {@code CARGO_MAKEFLAGS} for the command: {@code current} (the value
     * namedsem was given, or null) with {@code -j} and the jobserver appended before any
     * {@code --} section of variable definitions. Later words win in make's parsing, so any
     * jobserver of an outer make is replaced.
     */
    Map<String, String> environment(String current, Style style) {
        String flags = makeflags(current, style == Style.FIFO ? "fifo:" + fifo.path() : READ_FD + "," + WRITE_FD);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MAKEFLAGS", flags);
        env.put("CARGO_MAKEFLAGS", flags);
        return env;
    }

    /**
     * {@code current} MAKEFLAGS (or null) with {@code " -j --jobserver-auth=AUTH"} added after
     * its flags and before its variable definitions (the words after a lone {@code --}).
     */
    static String makeflags(String current, String auth) {
        String ours = " -j --jobserver-auth=" + auth;
        if (current == null || current.isBlank()) {
            return ours;
        }
        int definitions = current.startsWith("-- ") ? 0 : current.indexOf(" -- ");
        if (definitions < 0) {
            return current.stripTrailing() + ours;
        }
        String tail = current.substring(definitions);
        return current.substring(0, definitions) + ours + (tail.startsWith(" ") ? tail : " " + tail);
    }

    private static final Pattern OWN_POOL = Pattern.compile("-j\\d*|--jobs(=\\d*)?");

    /**
     * The arguments of {@code command} that give a make, ninja or cargo a pool of its own, such
     * as {@code -j8} (make then says "-jN forced in submake: resetting jobserver mode").
     */
    static List<String> ownPoolArguments(List<String> command) {
        return command.subList(1, command.size()).stream().filter(a -> OWN_POOL.matcher(a).matches()).toList();
    }

    /** Lends one more token whenever the watcher asks for one. */
    private void lend() {
        for (;;) {
            synchronized (this) {
                while (!wanted && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException stale) {
                        // an interrupt meant for an acquire that had already ended
                    }
                }
                if (closed) {
                    return;
                }
                acquiring = true;
            }
            boolean got;
            try {
                semaphore.acquire(); // fair: in the semaphore's queue for as long as it takes
                got = true;
            } catch (InterruptedException noLongerWanted) {
                got = false;
            } catch (RuntimeException e) {
                fail(new IOException("cannot take a permit of " + semaphore.osName() + ": " + e.getMessage(), e));
                return;
            }
            synchronized (this) {
                acquiring = false;
                Thread.interrupted(); // the watcher interrupts only while acquiring is true
                if (got) {
                    if (closed) {
                        semaphore.release();
                        return;
                    }
                    try {
                        fifo.put();
                        lent++;
                    } catch (IOException e) {
                        semaphore.release();
                        fail(e);
                        return;
                    }
                }
                wanted = false;
            }
        }
    }

    /** Looks at the FIFO every tick and decides whether to lend a token or take tokens back. */
    private void watch() {
        try {
            for (;;) {
                Thread.sleep(TICK_MILLIS);
                int free = fifo.available();
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    balance(free);
                }
            }
        } catch (InterruptedException closing) {
            // close() is under way
        } catch (IOException e) {
            fail(e);
        }
    }

    private void balance(int free) throws IOException {
        long now = System.nanoTime();
        if (free > lent) {
            // Bytes nobody lent: a client wrote more than it read. Drop them, or they would run
            // jobs that hold no permit.
            int dropped = fifo.take(free - lent);
            free -= dropped;
        }
        if (free == 0) {
            surplusSince = -1;
            if (lent < maxTokens && !wanted) {
                wanted = true;
                notifyAll();
            }
            return;
        }
        if (wanted) {
            wanted = false; // a token came back: the client that waited gets that one
            if (acquiring) {
                lender.interrupt();
            }
        }
        if (free == 1) {
            surplusSince = -1;
        } else if (surplusSince < 0) {
            surplusSince = now;
        } else if (now - surplusSince >= SURPLUS_NANOS) {
            int back = fifo.take(free - 1);
            if (back > 0) {
                lent -= back;
                semaphore.release(back);
            }
            surplusSince = -1;
        }
    }

    private synchronized void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /**
     * Stops lending, reads back every token in the FIFO, releases every lent permit and removes
     * the FIFO. Idempotent; call it once the command and everything it started have ended.
     *
     * @return how many lent tokens never came back (clients that died holding one); 0 after the
     *     first call
     * @throws IOException if the jobserver failed while the command ran (permits are released all
     *     the same)
     */
    int stop() throws IOException {
        synchronized (this) {
            if (closed) {
                return 0;
            }
            closed = true;
            notifyAll();
            if (acquiring) {
                lender.interrupt();
            }
        }
        watcher.interrupt();
        joinQuietly(lender);
        joinQuietly(watcher);
        int missing;
        synchronized (this) {
            int back = 0;
            try {
                back = fifo.take(Integer.MAX_VALUE);
            } finally {
                missing = Math.max(0, lent - back);
                if (lent > 0) {
                    semaphore.release(lent);
                }
                lent = 0;
                fifo.close();
                Files.deleteIfExists(fifo.path());
                Files.deleteIfExists(fifo.path().getParent());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return missing;
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
