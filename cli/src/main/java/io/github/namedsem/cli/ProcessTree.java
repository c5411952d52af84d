package io.github.namedsem.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A command and every process it starts, which end together and never outlive this JVM.
 *
 * <p>Where util-linux {@code setsid} exists (Linux), the command runs under a small POSIX
 * {@code sh} shim in a session of its own, so that one {@code kill} reaches its whole process
 * group, grandchildren included. The shim forks a watcher that blocks reading a FIFO whose only
 * writer is this JVM: when the JVM ends in any way, {@code kill -9} included, the kernel closes
 * the FIFO, the watcher reads end-of-file and SIGKILLs the group. The same FIFO carries the
 * JVM's orders ({@code TERM}). A JVM cannot pass an extra descriptor to a child, hence the FIFO,
 * created in a fresh 0700 directory and removed as soon as both ends are open.
 *
 * <p>Elsewhere (Windows, or no {@code setsid}) the command is a plain child; ending it signals its
 * descendants one by one, and nothing ends it if the JVM is killed.
 *
 * <p>The command runs in a new session, so it has no controlling terminal: a terminal's Ctrl-C
 * reaches namedsem, which passes it on as SIGTERM; the command still reads and writes the
 * terminal through the standard streams it inherits.
 */
abstract sealed class ProcessTree implements AutoCloseable {
    /** What every command gets between SIGTERM and SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(10);

    final Process process;

    private ProcessTree(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code command} with this process's standard streams.
     *
     * @param environment adjusts the command's environment (this process's, to begin with)
     * @throws IOException if it cannot be started
     */
    static ProcessTree start(List<String> command, Consumer<Map<String, String>> environment) throws IOException {
        return start(command, environment, null, null);
    }

    /**
     * Begins what {@link #start} will need, where it takes a while: the watcher's FIFO, made on
     * a thread of its own while the caller opens the semaphore. The caller closes it before it
     * waits for a permit, and at the end.
     *
     * @return what {@link #start(List, Consumer, Path, WatcherFifo.Early)} takes; null where the
     *     command will run without the shim
     */
    static WatcherFifo.Early prepare() {
        return SETSID.isPresent() ? WatcherFifo.Early.begin() : null;
    }

    /**
     * As {@link #start(List, Consumer)}, and, if {@code jobserverFifo} is not null, with that FIFO
     * open read-write on the command's descriptors {@link Jobserver#READ_FD} and
     * {@link Jobserver#WRITE_FD} (which only the shim can open for it).
     *
     * @param early from {@link #prepare()}, or null
     * @throws IOException if it cannot be started, or a jobserver was asked for without the shim
     */
    static ProcessTree start(List<String> command, Consumer<Map<String, String>> environment, Path jobserverFifo,
            WatcherFifo.Early early) throws IOException {
        if (SETSID.isEmpty()) {
            if (jobserverFifo != null) {
                throw new IOException("a jobserver needs setsid(1) from util-linux");
            }
            return new Plain(command, environment);
        }
        WatcherFifo fifo = early != null ? early.take() : WatcherFifo.make();
        return Session.start(SETSID.get(), fifo, command, environment, jobserverFifo);
    }

    /** util-linux {@code setsid}, where there is one: the shim's way into a session of its own. */
    private static final Optional<Path> SETSID = System.getProperty("os.name", "").startsWith("Windows")
            ? Optional.empty() : CommandLookup.find("setsid");

    /** The process namedsem started: the shim, or the command itself where there is none. */
    long pid() {
        return process.pid();
    }

    /** Waits for the command to end and returns its exit status (128 + N for a signal N). */
    int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /**
     * SIGTERM to the command and everything it started; after {@code grace}, SIGKILL to
     * whatever is left. Returns once the command has ended.
     */
    abstract void terminate(Duration grace);

    /** Ends whatever the command left running, and lets go of the watcher. Idempotent. */
    @Override
    public abstract void close();

    /** The command under the {@code sh} shim in its own session; see the class comment. */
    private static final class Session extends ProcessTree {
        /*
         * $1 is the FIFO (already open for writing by the JVM, so opening it here does not block),
         * the rest is the command. Once the FIFO is open, the watcher removes it and its
         * directory (this JVM's private directory, which holds only the FIFO) with one rm, beside
         * the command's start rather than before it (a process start). The watcher ignores the
         * signals that may reach the group and SIGKILLs the group ($$ is the shim: session
         * leader, so its pid is the group id) at end-of-file. The shim itself traps TERM (sent to the whole group) so that it stays to
         * report the command's status; a trapped signal is reset to its default in the command.
         * The shim's own stderr goes to /dev/null (the command gets the real one as fd 2), so that
         * it does not add "Killed" and the like to the command's output.
         * $2, when not empty, is a jobserver's FIFO, which the command gets open read-write on
         * descriptors 3 and 4 (Jobserver.READ_FD and WRITE_FD) for make's --jobserver-auth=3,4.
         */
        private static final String SHIM = """
                fifo=$1; jobserver=$2; shift 2
                exec 3<"$fifo" || exit 125
                {
                  trap '' INT TERM HUP QUIT
                  rm -rf -- "${fifo%/*}" 2>/dev/null
                  while IFS= read -r order <&3; do
                    [ "$order" = TERM ] && kill -TERM -$$ 2>/dev/null
                  done
                  kill -KILL -$$ 2>/dev/null
                } &
                exec 3<&- 4>&2 2>/dev/null
                trap : TERM
                if [ -z "$jobserver" ]; then ( exec "$@" 2>&4 4>&- )
                else ( exec "$@" 2>&4 4>&- 3<>"$jobserver" 4<>"$jobserver" ); fi
                """;

        private final FileChannel orders;
        private boolean closed;

        private Session(Process process, FileChannel orders) {
            super(process);
            this.orders = orders;
        }

        static Session start(Path setsid, WatcherFifo fifo, List<String> command,
                Consumer<Map<String, String>> environment, Path jobserverFifo) throws IOException {
            try {
                List<String> argv = new ArrayList<>(List.of(setsid.toString(), "sh", "-c", SHIM, "namedsem-run",
                        fifo.path.toString(), jobserverFifo == null ? "" : jobserverFifo.toString()));
                argv.addAll(command);
                ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
                environment.accept(builder.environment());
                return new Session(builder.start(), fifo.channel);
            } catch (IOException | RuntimeException e) {
                fifo.discard();
                throw e;
            }
        }

        @Override
        void terminate(Duration grace) {
            send("TERM\n");
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    close();
                }
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
        }

        private synchronized void send(String order) {
            if (!closed) {
                try {
                    orders.write(ByteBuffer.wrap(order.getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException gone) {
                    // The watcher is gone: nothing to tell it.
                }
            }
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                try {
                    orders.close(); // the watcher reads end-of-file and SIGKILLs what is left
                } catch (IOException ignored) {
                    // closing a FIFO does not fail in a way that matters here
                }
            }
        }
    }

    /** A plain child process, where there is no {@code setsid}. */
    private static final class Plain extends ProcessTree {
        Plain(List<String> command, Consumer<Map<String, String>> environment) throws IOException {
            super(start(new ProcessBuilder(command).inheritIO(), environment));
        }

        private static Process start(ProcessBuilder builder, Consumer<Map<String, String>> environment)
                throws IOException {
            environment.accept(builder.environment());
            return builder.start();
        }

        @Override
        void terminate(Duration grace) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            // nothing holds on to the descendants of a plain child
        }
    }
}
