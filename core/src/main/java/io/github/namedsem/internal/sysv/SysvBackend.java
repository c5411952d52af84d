package io.github.namedsem.internal.sysv;

import static io.github.namedsem.SemaphoreKind.CRASH_SAFE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.SemaphoreRemovedException;
import io.github.namedsem.SemaphoreAccessDeniedException;
import io.github.namedsem.internal.Backend;
import io.github.namedsem.internal.NativeSemaphore;
import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.internal.platform.Errno;
import io.github.namedsem.internal.platform.NativeLayouts;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Crash-safe semaphores: System V semaphore sets used with {@code SEM_UNDO} (Linux).
 *
 * <p>Creating: claim the name's key in its marker file ({@link Markers}), then
 * {@code semget(IPC_CREAT | IPC_EXCL)} and one {@code SETALL} that writes the count, the
 * headroom, the name's identity and the "initialised" flag at once. Every open, create and
 * unlink checks the set under the key with {@link SysvSets} (its shape, its identity, its
 * creator against the marker's owner), and never uses or removes a set that fails.
 */
public final class SysvBackend implements Backend {
    /** The one instance; creating it binds the System V and file functions. */
    public static final SysvBackend INSTANCE = new SysvBackend();

    private SysvBackend() {
        SysV.bind();
        MarkerIo.bind();
    }

    @Override
    public Opened create(SemaphoreName name, int initialPermits, int maxPermits, int mode, boolean openIfExists) {
        int key = SysvKeys.keyOf(name);
        boolean markerIsNew = claimKey(name, key);
        try {
            Opened opened = createOrOpen(name, key, initialPermits, maxPermits, mode & ~Umask.current(), openIfExists);
            // An unlink may have removed the marker between our claim and our set: a live set
            // always gets its marker back. (unlink removes the marker before the set, so the
            // reverse order cannot leave a set without one.)
            if (Markers.read(name, key) instanceof Markers.Absent) {
                Markers.tryCreate(name, key);
            }
            return opened;
        } catch (RuntimeException e) {
            if (markerIsNew) {
                try {
                    SysvSets.Found found = SysvSets.find(name, key, false);
                    if (found == null || found.verdict() == SysvSets.Verdict.FOREIGN) {
                        Markers.removeIfNaming(name, key); // leave no marker of ours on a key we did not get
                    }
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    private static Opened createOrOpen(SemaphoreName name, int key, int initialPermits, int maxPermits, int mode,
                                       boolean openIfExists) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            for (;;) {
                int semid = SysV.semget(capture, key, SysvSemaphore.NSEMS, SysV.IPC_CREAT | SysV.IPC_EXCL | mode);
                if (semid >= 0) {
                    if (!initialise(name, semid, initialPermits, maxPermits, arena, capture)) {
                        continue; // removed before we could initialise it: try again
                    }
                    return new Opened(new SysvSemaphore(name, semid, maxPermits), true);
                }
                int errno = NativeLayouts.errno(capture);
                if (errno != Errno.EEXIST) {
                    throw SysvErrors.failure("semget(IPC_CREAT|IPC_EXCL)", name, errno);
                }
                SysvSets.Found found;
                try {
                    found = SysvSets.find(name, key, true);
                } catch (SemaphoreRemovedException removedWhileRead) {
                    continue; // an unlink removed it while we read it: try to be the creator again
                }
                if (found == null) {
                    continue; // removed between our two calls: try to be the creator again
                }
                if (found.verdict() != SysvSets.Verdict.OURS) {
                    throw SysvSets.notOurs(name, key, found);
                }
                if (!openIfExists) {
                    throw SysvErrors.failure("semget(IPC_CREAT|IPC_EXCL)", name, Errno.EEXIST);
                }
                checkCreator(name, key, found);
                return new Opened(new SysvSemaphore(name, found.semid(), found.maxPermits()), false);
            }
        }
    }

    /**
     * One SETALL: count, headroom, identity and the "initialised" flag appear together.
     *
     * @return false if the set was removed before it (by ipcrm, say)
     */
    private static boolean initialise(SemaphoreName name, int semid, int initialPermits, int maxPermits, Arena arena,
                                   MemorySegment capture) {
        int identity = SysvKeys.identityOf(name);
        MemorySegment values = arena.allocate(MemoryLayout.sequenceLayout(SysvSemaphore.NSEMS, JAVA_SHORT));
        values.set(JAVA_SHORT, 2L * SysvSemaphore.COUNT, (short) initialPermits);
        values.set(JAVA_SHORT, 2L * SysvSemaphore.HEADROOM, (short) (maxPermits - initialPermits));
        values.set(JAVA_SHORT, 2L * SysvSemaphore.INITIALISED, (short) 1);
        values.set(JAVA_SHORT, 2L * SysvSemaphore.ID_LOW, (short) (identity & 0x7FFF));
        values.set(JAVA_SHORT, 2L * SysvSemaphore.ID_HIGH, (short) (identity >>> 15));
        if (SysV.semctlArray(capture, semid, SysV.SETALL, values) != 0) {
            int errno = NativeLayouts.errno(capture);
            if (errno == Errno.EIDRM || errno == Errno.EINVAL) {
                return false;
            }
            SysV.semctl(capture, semid, 0, SysV.IPC_RMID); // our own half-made set
            throw SysvErrors.failure("semctl(SETALL)", name, errno);
        }
        return true;
    }

    @Override
    public NativeSemaphore open(SemaphoreName name) {
        int key = SysvKeys.keyOf(name);
        Markers.State marker = Markers.read(name, key);
        if (marker instanceof Markers.Valid valid) {
            if (!valid.names(name)) {
                throw new NoSuchSemaphoreException("No " + SysvErrors.describe(name) + " exists (its key belongs to the"
                        + " crash-safe semaphore " + valid.name() + "). Create it first with the CRASH_SAFE kind.",
                        name.portable(), SysvKeys.osName(name), CRASH_SAFE, Errno.ENOENT, "ENOENT");
            }
            checkNamespace(name, key, valid);
        }
        SysvSets.Found found = SysvSets.find(name, key, true);
        if (found == null) {
            throw new NoSuchSemaphoreException("No " + SysvErrors.describe(name) + " exists" + markerHint(name, key, marker)
                    + ". Create it first with the CRASH_SAFE kind.", name.portable(), SysvKeys.osName(name), CRASH_SAFE, Errno.ENOENT, "ENOENT");
        }
        if (found.verdict() != SysvSets.Verdict.OURS) {
            throw SysvSets.notOurs(name, key, found);
        }
        checkCreator(name, key, found);
        return new SysvSemaphore(name, found.semid(), found.maxPermits());
    }

    @Override
    public boolean unlink(SemaphoreName name) {
        int key = SysvKeys.keyOf(name);
        Markers.State marker = Markers.read(name, key);
        boolean markerIsOurs = marker instanceof Markers.Valid valid && valid.names(name);
        if (markerIsOurs) {
            checkNamespace(name, key, (Markers.Valid) marker);
        }
        // Waits for a creator that is initialising the set (microseconds), so that unlink removes
        // a finished set, not one under construction; a set never initialised is removable after 5 s.
        SysvSets.Found found = SysvSets.find(name, key, true);
        if (found == null) {
            if (markerIsOurs) {
                Markers.removeIfNaming(name, key); // a stale marker: its set is gone
                // ... unless a create made the set since we looked: then the marker goes back. (That
                // create checks the marker after making its set, so one of us always sees the other.)
                SysvSets.Found appeared = SysvSets.find(name, key, false);
                if (appeared != null && appeared.verdict() != SysvSets.Verdict.FOREIGN) {
                    Markers.tryCreate(name, key);
                }
            }
            return false;
        }
        boolean removable = switch (found.verdict()) {
            case OURS -> true;
            // A set never initialised carries no identity yet: it is this name's to remove only
            // if its creator is the one the name's marker records (with no marker, this user).
            case UNINITIALISED -> switch (marker) {
                case Markers.Valid valid -> markerIsOurs && valid.ownerUid() == found.creatorUid();
                case Markers.Absent absent -> found.creatorUid() == MarkerIo.geteuid();
                case Markers.Bad bad -> false;
            };
            case FOREIGN -> false;
        };
        if (!removable) {
            return false; // another name's or program's set: not ours to remove
        }
        if (markerIsOurs) {
            checkCreator(name, key, found);
        }
        int me = MarkerIo.geteuid();
        if (me != 0 && me != found.ownerUid() && me != found.creatorUid()) {
            throw SysvErrors.failure("semctl(IPC_RMID)", name, Errno.EPERM);
        }
        // The marker first, then the set: a create racing this unlink puts the marker back
        // after making its set, so no live set is ever left without one.
        if (markerIsOurs) {
            Markers.removeIfNaming(name, key);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            if (SysV.semctl(capture, found.semid(), 0, SysV.IPC_RMID) != 0) {
                int errno = NativeLayouts.errno(capture);
                if (errno == Errno.EIDRM || errno == Errno.EINVAL) {
                    return false; // another unlink was first
                }
                throw SysvErrors.failure("semctl(IPC_RMID)", name, errno);
            }
            return true;
        }
    }

    @Override
    public int maxPermitsLimit() {
        return SysV.SEMVMX;
    }

    /**
     * Records that {@code name} owns {@code key}: writes the marker, keeps one naming the name,
     * replaces a stale one, or fails if the key is another name's.
     *
     * @return whether this call wrote the marker
     */
    private static boolean claimKey(SemaphoreName name, int key) {
        // Read first: opening an existing semaphore (the common case) then writes nothing.
        for (int attempt = 0; ; attempt++) {
            Markers.State marker = Markers.read(name, key);
            switch (marker) {
                case Markers.Absent absent -> {
                    if (Markers.tryCreate(name, key)) {
                        return true;
                    }
                    if (attempt < 3) {
                        continue; // someone else's marker appeared since we looked: read it
                    }
                    throw new NamedSemaphoreException("Cannot claim the marker " + SysvKeys.marker(key) + " for the "
                            + SysvErrors.describe(name) + ": it keeps appearing and disappearing. Try again.",
                            name.portable(), SysvKeys.osName(name), CRASH_SAFE, 0, null);
                }
                case Markers.Valid valid when valid.fromAnotherNamespace() -> throw namespaceMismatch(name, key, valid);
                case Markers.Valid valid when valid.names(name) -> {
                    if (valid.ownerUid() == MarkerIo.geteuid() || SysvSets.find(name, key, false) != null) {
                        return false;
                    }
                    // Another user's marker for this name, with no set: stale, and a set we made
                    // would fail the creator check against it.
                    Markers.replace(name, key, "it is a stale marker of " + Markers.ownerOf(SysvKeys.marker(key)));
                    return true;
                }
                case Markers.Valid valid -> {
                    SysvSets.Found found = SysvSets.find(name, key, true);
                    if (found != null && found.verdict() != SysvSets.Verdict.OURS) {
                        throw new NamedSemaphoreException("The names " + name.portable() + " and " + valid.name()
                                + " map to the same" + String.format(" System V key 0x%08x", key) + ", which "
                                + valid.name() + " already uses. Choose another name for this crash-safe semaphore.",
                                name.portable(), SysvKeys.osName(name), CRASH_SAFE, Errno.EEXIST, "EEXIST");
                    }
                    // No set under the key (or ours): the marker is stale or planted.
                    Markers.replace(name, key, "it names " + valid.name() + ", which has no set, and is owned by "
                            + Markers.ownerOf(SysvKeys.marker(key)) + " (it holds " + SemaphoreName.quote(valid.name()) + ")");
                    return true;
                }
                case Markers.Bad bad -> {
                    Markers.replace(name, key, "it is no marker: " + bad.why());
                    return true;
                }
            }
        }
    }

    private static void checkNamespace(SemaphoreName name, int key, Markers.Valid marker) {
        if (marker.fromAnotherNamespace()) {
            throw namespaceMismatch(name, key, marker);
        }
    }

    private static NamedSemaphoreException namespaceMismatch(SemaphoreName name, int key, Markers.Valid marker) {
        Path path = SysvKeys.marker(key);
        return new NamedSemaphoreException("The marker " + path + " says that the key of the " + SysvErrors.describe(name)
                + " is taken by " + marker.name() + " in another IPC namespace (" + marker.ipcNamespace() + "; this process"
                + " is in " + Markers.IPC_NAMESPACE + ") that shares /dev/shm with this one. System V sets live in the IPC"
                + " namespace, so this process cannot see that set, and a set made here would silently be a second one"
                + " under the same key. Run all users in one IPC namespace (Docker: --ipc=host or --ipc=container:NAME;"
                + " containers of one Kubernetes pod share one), or use the STANDARD kind, which follows /dev/shm. If that"
                + " namespace no longer exists, remove " + path + ". See docs/containers.md.", name.portable(), SysvKeys.osName(name), CRASH_SAFE, 0, null);
    }

    /** The set's creator must be the marker's owner: one of the two is otherwise not what it claims. */
    private static void checkCreator(SemaphoreName name, int key, SysvSets.Found found) {
        if (Markers.read(name, key) instanceof Markers.Valid valid && valid.names(name) && valid.ownerUid() != found.creatorUid()) {
            throw new SemaphoreAccessDeniedException("The " + SysvErrors.describe(name) + String.format(" (set id %d) was"
                    + " created by uid %d, but its marker %s is owned by %s: one of them was not made by the semaphore's"
                    + " creator, so namedsem does not trust the set. Remove the wrong one (ipcrm -s %d or rm %s) as its"
                    + " owner or root.", found.semid(), found.creatorUid(), SysvKeys.marker(key),
                    Markers.ownerOf(SysvKeys.marker(key)), found.semid(), SysvKeys.marker(key)),
                    name.portable(), SysvKeys.osName(name), CRASH_SAFE, Errno.EPERM, "EPERM");
        }
    }

    /** Why an open found no set, where the marker tells more. */
    private static String markerHint(SemaphoreName name, int key, Markers.State marker) {
        return switch (marker) {
            case Markers.Valid valid -> " (its marker " + SysvKeys.marker(key) + " exists, but the set does not: its creator"
                    + " died before making it, someone removed it with ipcrm, or it was made in another IPC namespace"
                    + " sharing /dev/shm with this one (a container without --ipc=host); see docs/containers.md)";
            case Markers.Bad bad -> " (and " + SysvKeys.marker(key) + " is not a marker: " + bad.why() + ")";
            case Markers.Absent absent -> "";
        };
    }

    /** The process's umask, which System V sets ignore, so namedsem applies it as open(2) does for the standard kind. */
    static final class Umask {
        private Umask() {}

        static int current() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("Umask:")) {
                        return Integer.parseInt(line.substring(6).trim(), 8);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // fall through to the common default
            }
            return 022;
        }
    }
}
