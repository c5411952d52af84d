package io.github.namedsem.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FIFO through which the watcher of a {@link ProcessTree} session learns that this JVM has
 * ended (end-of-file) and receives its orders. It is made in a fresh directory that only this
 * user can enter, and this JVM opens it read and write: opening a FIFO so never blocks on Linux,
 * and makes this JVM its only writer before the shim exists. The shim removes it once it has it
 * open; until a shim has it, {@link #discard()} removes it.
 */
final class WatcherFifo {
    final Path path;
    final FileChannel channel;

    private WatcherFifo(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Makes one now; this starts a process ({@code mkfifo}), a few milliseconds. */
    static WatcherFifo make() throws IOException {
        Path dir;
        try {
            dir = privateDirectory();
        } catch (IOException e) {
            throw new IOException("cannot make the directory of the watcher's FIFO in java.io.tmpdir ("
                    + System.getProperty("java.io.tmpdir") + "): " + e, e);
        }
        Path fifo = dir.resolve("orders");
        try {
            makeFifo(fifo);
            return new WatcherFifo(fifo, FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(fifo);
            Files.deleteIfExists(dir);
            throw e;
        }
    }

    /** For a FIFO no shim will open: closes this JVM's end and removes it and its directory. */
    void discard() {
        try {
            channel.close();
            Files.deleteIfExists(path);
            Files.deleteIfExists(path.getParent());
        } catch (IOException ignored) {
            // a leftover empty directory in /tmp, removed by a later run (removeStale)
        }
    }

    /**
     * A FIFO begun on a thread of its own, so that its {@code mkfifo} runs while the caller opens
     * the semaphore (in a short {@code run}, mostly the FFM linker's first link) rather than after
     * it has the permit. A caller about to wait for a permit {@linkplain #close() closes} it first:
     * no FIFO sits in {@code /tmp} for the length of a wait, or is left there if namedsem is killed
     * meanwhile; {@link #take()} then makes a new one. A shutdown hook removes a FIFO that was
     * neither taken nor closed when the JVM ends. What a {@code kill -9} during start-up leaves,
     * a later run removes ({@link #removeStale}).
     */
    static final class Early implements AutoCloseable {
        private CompletableFuture<WatcherFifo> fifo; // guarded by this; null once taken or closed

        private Early(CompletableFuture<WatcherFifo> fifo) {
            this.fifo = fifo;
        }

        /** Starts making a FIFO. */
        static Early begin() {
            CompletableFuture<WatcherFifo> fifo = new CompletableFuture<>();
            Early early = new Early(fifo);
            // Added before the thread starts: once the JVM is shutting down, adding throws, and
            // then nothing has been made.
            Runtime.getRuntime().addShutdownHook(new Thread(early::close, "namedsem-fifo-cleanup"));
            Thread.ofPlatform().daemon().name("namedsem-fifo").start(() -> {
                try {
                    fifo.complete(make());
                } catch (Throwable e) { // an Error too: nobody may wait for this future in vain
                    fifo.completeExceptionally(e);
                }
                removeStale();
            });
            return early;
        }

        /** The FIFO begun early, once made, or a new one if this was closed. */
        WatcherFifo take() throws IOException {
            CompletableFuture<WatcherFifo> early = claim();
            if (early == null) {
                return make();
            }
            try {
                return early.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().toString(), e.getCause());
            } catch (InterruptedException e) {
                early.thenAccept(WatcherFifo::discard);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while making the watcher's FIFO", e);
            }
        }

        /**
         * Removes the FIFO if nobody took it, once its {@code mkfifo} has ended (waiting for that
         * 10 s at most, then leaving it to the thread that makes it). Idempotent.
         */
        @Override
        public void close() {
            CompletableFuture<WatcherFifo> early = claim();
            if (early == null) {
                return;
            }
            try {
                early.get(10, TimeUnit.SECONDS).discard();
            } catch (ExecutionException nothingMade) {
                // make() removed what it had made
            } catch (TimeoutException slow) {
                early.thenAccept(WatcherFifo::discard);
            } catch (InterruptedException e) {
                early.thenAccept(WatcherFifo::discard);
                Thread.currentThread().interrupt();
            }
        }

        private synchronized CompletableFuture<WatcherFifo> claim() {
            CompletableFuture<WatcherFifo> early = fifo;
            fifo = null;
            return early;
        }
    }

    /** How long a FIFO lives at most in a run that is alive: from its making to the shim's start. */
    private static final Duration STALE = Duration.ofSeconds(60);

    /**
     * Removes the directories and FIFOs of runs killed (kill -9) between making their FIFO and
     * starting the command, which no shutdown hook could remove: those whose pid, in their name,
     * is not a live process, and older than {@link #STALE}, so that a live run in another pid
     * namespace sharing {@code /tmp} keeps its own. Only a FIFO (or other special file) named
     * {@code orders} and then the empty directory are removed, never anything else; another
     * user's are left (permission). Everything goes through open directories
     * ({@link SecureDirectoryStream}, without following links), so that a name swapped for a
     * symbolic link meanwhile cannot point a run, perhaps root's, at a file elsewhere; where the
     * platform has no such streams, nothing is removed.
     */
    static void removeStale() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            if (!(listing instanceof SecureDirectoryStream<Path> dirs)) {
                return;
            }
            for (Path entry : dirs) {
                Path dir = entry.getFileName();
                Matcher m = NAME.matcher(dir.toString());
                try {
                    if (!m.matches() || ProcessHandle.of(Long.parseLong(m.group(1))).isPresent()) {
                        continue;
                    }
                    // Opening refuses a symbolic link; what is checked and removed is then that directory.
                    try (SecureDirectoryStream<Path> run = dirs.newDirectoryStream(dir, LinkOption.NOFOLLOW_LINKS)) {
                        BasicFileAttributes self = run.getFileAttributeView(BasicFileAttributeView.class).readAttributes();
                        if (now - self.lastModifiedTime().toMillis() < STALE.toMillis()) {
                            continue;
                        }
                        Path orders = Path.of("orders");
                        if (run.getFileAttributeView(orders, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                                .readAttributes().isOther()) {
                            run.deleteFile(orders);
                        }
                    } catch (NoSuchFileException noOrders) {
                        // an empty directory: removed below
                    }
                    dirs.deleteDirectory(dir); // fails, harmlessly, if anything else is in it
                } catch (IOException | NumberFormatException ignored) {
                    // not ours, not empty, not a directory, or gone meanwhile
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // nothing to tidy up, or no tmpdir to list
        }
    }

    private static final String PREFIX = "namedsem-run-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{1,10})-[0-9a-z]+");

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
            // The pid lets a later run remove what a kill -9 left (removeStale).
            Path dir = tmp.resolve(PREFIX + ProcessHandle.current().pid() + "-"
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
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
}
