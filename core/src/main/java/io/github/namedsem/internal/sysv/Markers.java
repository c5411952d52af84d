package io.github.namedsem.internal.sysv;

import static io.github.namedsem.SemaphoreKind.CRASH_SAFE;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.internal.platform.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The marker files {@code /dev/shm/namedsem-sysv-KKKKKKKK}: which name owns a key, who created
 * it, and in which IPC namespace. Their content is the name's UTF-8 bytes, then a NUL and the
 * creator's IPC namespace as {@code /proc/self/ns/ipc} shows it ({@code ipc:[4026531839]}).
 * A marker without the NUL part (an older namedsem, another language) is read as being of
 * this namespace.
 *
 * <p>Everyone can write to {@code /dev/shm}, so a marker is untrusted: it is read through
 * {@link MarkerIo} (no links, no FIFOs, at most {@value #LIMIT} bytes), and one that is not a
 * valid marker, or names another name whose set does not exist, is stale: a creator replaces
 * it atomically where the directory lets it, and says what to remove where it does not.
 */
final class Markers {
    private Markers() {}

    /** A name is at most 251 bytes and the namespace some 20: anything larger is not a marker. */
    static final int LIMIT = 512;
    private static final Duration STALE_TEMP_AGE = Duration.ofSeconds(60);
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();
    /** This process's IPC namespace, where its System V sets live; empty if /proc does not say. */
    static final String IPC_NAMESPACE = readIpcNamespace();

    /** What a marker file says, or why it says nothing useful. */
    sealed interface State permits Absent, Valid, Bad {}

    /** No marker. */
    record Absent() implements State {}

    /**
     * A well-formed marker.
     *
     * @param name the portable name that owns the key
     * @param ownerUid who created it
     * @param ipcNamespace the creator's IPC namespace, empty if not recorded
     */
    record Valid(String name, int ownerUid, String ipcNamespace) implements State {
        boolean names(SemaphoreName n) {
            return name.equals(n.portable());
        }

        boolean fromAnotherNamespace() {
            return !ipcNamespace.isEmpty() && !IPC_NAMESPACE.isEmpty() && !ipcNamespace.equals(IPC_NAMESPACE);
        }
    }

    /** A file that is not a marker, and why. */
    record Bad(String why) implements State {}

    /**
     * Reads the marker of a key.
     *
     * @throws NamedSemaphoreException with {@code EMFILE} when no descriptor is left
     */
    static State read(SemaphoreName name, int key) {
        Path marker = SysvKeys.marker(key);
        try {
            return stateOf(marker);
        } catch (MarkerIo.OutOfDescriptors e) {
            throw SysvErrors.failure("open(" + marker + ")", name, e.errno);
        }
    }

    /**
     * The name a marker file records, for listings; see {@link SysvKeys#markerName}.
     *
     * @throws IOException saying why the file is no marker
     */
    static String nameIn(Path marker) throws IOException {
        State state;
        try {
            state = stateOf(marker);
        } catch (MarkerIo.OutOfDescriptors e) {
            throw new IOException(Errno.symbol(e.errno) + " (" + Errno.text(e.errno) + ")");
        }
        return switch (state) {
            case Valid valid -> valid.name();
            case Bad bad -> throw new IOException(bad.why());
            case Absent absent -> throw new java.nio.file.NoSuchFileException(marker.toString());
        };
    }

    private static State stateOf(Path marker) {
        return switch (MarkerIo.read(marker, LIMIT)) {
            case MarkerIo.Missing missing -> new Absent();
            case MarkerIo.Refused refused -> new Bad(refused.why() + ", owned by " + ownerOf(marker));
            case MarkerIo.Content content -> parse(content, marker);
        };
    }

    private static State parse(MarkerIo.Content content, Path marker) {
        byte[] bytes = content.bytes();
        int nul = 0;
        while (nul < bytes.length && bytes[nul] != 0) {
            nul++;
        }
        String name;
        String namespace;
        try {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            name = decoder.decode(ByteBuffer.wrap(bytes, 0, nul)).toString();
            namespace = nul < bytes.length ? decoder.decode(ByteBuffer.wrap(bytes, nul + 1, bytes.length - nul - 1)).toString() : "";
        } catch (CharacterCodingException e) {
            return new Bad("does not hold a UTF-8 name, owned by " + ownerOf(marker));
        }
        try {
            name = SemaphoreName.of(name).portable();
        } catch (IllegalArgumentException e) {
            return new Bad("holds " + SemaphoreName.quote(name) + ", not a semaphore name, owned by " + ownerOf(marker));
        }
        if (!namespace.isEmpty() && !namespace.matches("ipc:\\[[0-9]{1,20}]")) {
            return new Bad("namespace part " + SemaphoreName.quote(namespace) + " is malformed, owned by " + ownerOf(marker));
        }
        return new Valid(name, content.ownerUid(), namespace);
    }

    /** The owner of a file, for messages; looked at without following links. */
    static String ownerOf(Path path) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Object uid = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return attributes.owner().getName() + " (uid " + uid + ")";
        } catch (IOException | UnsupportedOperationException e) {
            return "an unknown user";
        }
    }

    /** Writes the marker of {@code name} if there is none; fails if one exists. */
    static boolean tryCreate(SemaphoreName name, int key) {
        return install(name, key, false);
    }

    /** Writes the marker of {@code name} over whatever is there, atomically (rename). */
    static void replace(SemaphoreName name, int key, String why) {
        try {
            install(name, key, true);
        } catch (NamedSemaphoreException e) {
            if (e.getCause() instanceof java.nio.file.AccessDeniedException
                    || e.getCause() instanceof java.nio.file.FileSystemException f && String.valueOf(f.getReason()).contains("not permitted")) {
                Path marker = SysvKeys.marker(key);
                throw new NamedSemaphoreException("The marker file " + marker + " blocks the " + SysvErrors.describe(name)
                        + ": " + why + ", and this user may not replace it (/dev/shm lets only a file's owner remove it)."
                        + " Have its owner or root remove it (rm " + marker + "), then try again.", name.portable(), SysvKeys.osName(name), CRASH_SAFE, Errno.EPERM, "EPERM");
            }
            throw e;
        }
    }

    private static boolean install(SemaphoreName name, int key, boolean replace) {
        Path marker = SysvKeys.marker(key);
        removeStaleTemporaries(key);
        Path temp = null;
        try {
            temp = writeTemporary(name, key);
            // Readable by everyone whatever the umask: the name is no secret (sem.NAME files show
            // theirs), and whoever opens the set must be able to check the marker.
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            if (replace) {
                Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.createLink(marker, temp); // atomic and exclusive: the marker appears whole or not at all
            }
            return true;
        } catch (FileAlreadyExistsException taken) {
            return false;
        } catch (IOException e) {
            throw ioFailure(name, "write the marker " + marker, e);
        } finally {
            try {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException ignored) {
                // our own file in /dev/shm; a later create of this key removes it once stale
            }
        }
    }

    /**
     * Writes the marker's content to a new temporary file. The name is predictable (pid and a
     * counter, so that stale ones can be told from live ones), so another user may have taken
     * it: then the next counter is tried.
     */
    private static Path writeTemporary(SemaphoreName name, int key) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = SysvKeys.marker(key).resolveSibling(String.format(".namedsem-sysv-%08x.%d.%d.tmp", key,
                    ProcessHandle.current().pid(), TEMP_COUNTER.incrementAndGet()));
            // CREATE_NEW is O_EXCL: it never follows a link planted under the temporary name.
            try (SeekableByteChannel out = Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS)) {
                out.write(ByteBuffer.wrap(content(name)));
                return temp;
            } catch (FileAlreadyExistsException squatted) {
                if (attempt >= 100) {
                    throw new IOException("100 temporary names like " + temp + " are taken by others; remove them", squatted);
                }
            }
        }
    }

    private static byte[] content(SemaphoreName name) {
        byte[] utf8 = name.portable().getBytes(StandardCharsets.UTF_8);
        byte[] namespace = IPC_NAMESPACE.getBytes(StandardCharsets.US_ASCII);
        if (namespace.length == 0) {
            return utf8;
        }
        byte[] all = Arrays.copyOf(utf8, utf8.length + 1 + namespace.length);
        System.arraycopy(namespace, 0, all, utf8.length + 1, namespace.length);
        return all;
    }

    /** Removes the marker if it still names {@code name} (a marker of another name stays). */
    static void removeIfNaming(SemaphoreName name, int key) {
        if (read(name, key) instanceof Valid valid && valid.names(name)) {
            try {
                Files.deleteIfExists(SysvKeys.marker(key));
            } catch (IOException e) {
                throw ioFailure(name, "remove the marker " + SysvKeys.marker(key), e);
            }
        }
    }

    /**
     * Removes this user's temporary markers that a creator killed between writing and linking
     * left behind: older than a minute (a claim takes microseconds), and of a process that is
     * gone where the name records one. Other users' files are left alone (the directory's
     * sticky bit forbids removing them anyway).
     */
    private static void removeStaleTemporaries(int key) {
        int me = MarkerIo.geteuid();
        Instant staleBefore = Instant.now().minus(STALE_TEMP_AGE);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(SysvKeys.MARKER_DIR, ".namedsem-sysv-*.tmp")) {
            for (Path temp : temps) {
                PosixFileAttributes attributes = Files.readAttributes(temp, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isBefore(staleBefore)
                        && ((Integer) Files.getAttribute(temp, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == me
                        && !creatorAlive(temp.getFileName().toString())) {
                    Files.deleteIfExists(temp);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Tidying is best effort: it never stops a create.
        }
    }

    private static boolean creatorAlive(String tempName) {
        String[] parts = tempName.split("\\.");
        // "", "namedsem-sysv-KKKKKKKK", PID, COUNTER, "tmp"; older names carry no pid
        if (parts.length == 5) {
            try {
                return ProcessHandle.of(Long.parseLong(parts[2])).map(ProcessHandle::isAlive).orElse(false);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    static NamedSemaphoreException ioFailure(SemaphoreName name, String what, IOException e) {
        String reason = e instanceof java.nio.file.FileSystemException f ? String.valueOf(f.getReason()) : e.getMessage();
        if (reason.contains("Too many open files")) {
            return SysvErrors.failure(what, name, Errno.EMFILE);
        }
        var failure = new NamedSemaphoreException("Cannot " + what + " for the " + SysvErrors.describe(name) + ": " + e
                + ". Nothing else was changed.", name.portable(), SysvKeys.osName(name), CRASH_SAFE, 0, null);
        failure.initCause(e);
        return failure;
    }

    private static String readIpcNamespace() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/ipc")).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "";
        }
    }
}
