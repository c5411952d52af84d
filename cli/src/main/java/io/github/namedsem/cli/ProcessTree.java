package io.github.namedsem.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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
        return start(command, environment, null);
    }

    /**
     * As {@link #start(List, Consumer)}, and, if {@code jobserverFifo} is not null, with that FIFO
     * open read-write on the command's descriptors {@link Jobserver#READ_FD} and
     * {@link Jobserver#WRITE_FD} (which only the shim can open for it).
     *
     * @throws IOException if it cannot be started, or a jobserver was asked for without the shim
     */
    static ProcessTree start(List<String> command, Consumer<Map<String, String>> environment, Path jobserverFifo)
            throws IOException {
        Optional<Path> setsid = System.getProperty("os.name", "").startsWith("Windows")
                ? Optional.empty() : CommandLookup.find("setsid");
        if (setsid.isEmpty() && jobserverFifo != null) {
            throw new IOException("a jobserver needs setsid(1) from util-linux");
        }
        return setsid.isPresent() ? Session.start(setsid.get(), command, environment, jobserverFifo)
                : new Plain(command, environment);
    }

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
         * the rest is the command. Once the FIFO is open, the watcher removes its name and
         * directory, beside the command's start rather than before it (two process starts). The watcher ignores the signals that may reach the group and
         * SIGKILLs the group ($$ is the shim: session leader, so its pid is the group id) at
         * end-of-file. The shim itself traps TERM (sent to the whole group) so that it stays to
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
                  rm -f -- "$fifo"; rmdir -- "${fifo%/*}" 2>/dev/null
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

        static Session start(Path setsid, List<String> command, Consumer<Map<String, String>> environment,
                Path jobserverFifo)
                throws IOException {
            Path dir = privateDirectory();
            Path fifo = dir.resolve("orders");
            FileChannel orders = null;
            try {
                makeFifo(fifo);
                // Read and write: opening a FIFO so never blocks on Linux, and makes this JVM its
                // only writer before the shim exists. The shim removes the FIFO once it has it open.
                orders = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
                List<String> argv = new ArrayList<>(List.of(setsid.toString(), "sh", "-c", SHIM, "namedsem-run",
                        fifo.toString(), jobserverFifo == null ? "" : jobserverFifo.toString()));
                argv.addAll(command);
                ProcessBuilder builder = new ProcessBuilder(argv).inheritIO();
                environment.accept(builder.environment());
                return new Session(builder.start(), orders);
            } catch (IOException | RuntimeException e) {
                if (orders != null) {
                    orders.close();
                }
                Files.deleteIfExists(fifo);
                Files.deleteIfExists(dir);
                throw e;
            }
        }

        /**
         * A new directory in {@code java.io.tmpdir} that only this user can enter, as
         * {@link Files#createTempDirectory} makes, but without its {@code SecureRandom}, whose set-up
         * (security providers) cost a tenth of a {@code run}'s CPU time. The name need not be secret:
         * {@code mkdir} either creates the directory, which is then ours with mode 0700, or fails,
         * and another name is tried; nobody else can rename or remove it in a sticky {@code /tmp}.
         */
        private static Path privateDirectory() throws IOException {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            FileAttribute<Set<PosixFilePermission>> only0700 = PosixFilePermissions.asFileAttribute(
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE));
            for (int attempt = 0; ; attempt++) {
                Path dir = tmp.resolve("namedsem-run-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
                try {
                    return Files.createDirectory(dir, only0700);
                } catch (FileAlreadyExistsException taken) {
                    if (attempt == 100) {
                        throw taken;
                    }
                }
            }
        }

        private static void makeFifo(Path fifo) throws IOException {
            Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                if (mkfifo.waitFor() != 0) {
                    throw new IOException("mkfifo " + fifo + " failed with status " + mkfifo.exitValue());
                }
            } catch (InterruptedException e) {
                mkfifo.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while creating " + fifo, e);
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
