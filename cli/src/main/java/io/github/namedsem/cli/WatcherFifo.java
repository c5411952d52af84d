package io.github.namedsem.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;

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
        Path dir = privateDirectory();
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
            // a leftover empty directory in /tmp, which namedsem doctor reports
        }
    }

    /**
     * A FIFO begun on a thread of its own, so that its {@code mkfifo} runs while the caller opens
     * the semaphore (in a short {@code run}, mostly the FFM linker's first link) rather than after
     * it has the permit. A caller about to wait for a permit {@linkplain #close() closes} it first:
     * no FIFO sits in {@code /tmp} for the length of a wait, or is left there if namedsem is killed
     * meanwhile; {@link #take()} then makes a new one. A shutdown hook removes a FIFO that
     * was neither taken nor closed when the JVM ends.
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
            // A signal that ends namedsem before the FIFO is taken (while the semaphore opens)
            // must not leave it in /tmp; once taken or closed, this finds nothing to do. Added
            // before the thread starts: once the JVM is shutting down, adding throws, and then
            // nothing has been made.
            Runtime.getRuntime().addShutdownHook(new Thread(early::close, "namedsem-fifo-cleanup"));
            Thread.ofPlatform().daemon().name("namedsem-fifo").start(() -> {
                try {
                    fifo.complete(make());
                } catch (IOException | RuntimeException e) {
                    fifo.completeExceptionally(e);
                }
            });
            return early;
        }

        /** The FIFO begun early, once made; a new one if this was closed or the early one failed. */
        synchronized WatcherFifo take() throws IOException {
            CompletableFuture<WatcherFifo> early = fifo;
            fifo = null;
            if (early != null) {
                try {
                    return early.get();
                } catch (ExecutionException failedEarly) {
                    // tried again below, so that the failure is reported where it happens
                } catch (InterruptedException e) {
                    discardWhenMade(early);
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while creating the watcher's FIFO", e);
                }
            }
            return make();
        }

        /** Removes the FIFO if nobody took it, once its {@code mkfifo} has ended. Idempotent. */
        @Override
        public synchronized void close() {
            if (fifo != null) {
                discardWhenMade(fifo);
                fifo = null;
            }
        }

        private static void discardWhenMade(CompletableFuture<WatcherFifo> fifo) {
            try {
                fifo.join().discard(); // a few milliseconds at most: it ends with mkfifo
            } catch (RuntimeException failed) {
                // nothing was made, or make() removed what it had made
            }
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
}
