package io.github.namedsem.internal.sysv;

import static io.github.namedsem.SemaphoreKind.CRASH_SAFE;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.github.namedsem.internal.platform.Errno;
import io.github.namedsem.internal.platform.NativeLayouts;
import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.internal.Backend;
import io.github.namedsem.internal.NativeSemaphore;
import io.github.namedsem.internal.SemaphoreName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Crash-safe semaphores: System V semaphore sets used with {@code SEM_UNDO} (Linux).
 *
 * <p>Creating: claim the name's key in its marker file (see {@link SysvKeys}), then
 * {@code semget(IPC_CREAT | IPC_EXCL)} and one {@code SETALL} that writes the count, the
 * headroom and the "initialised" flag at once. A process that finds the set already there
 * waits (briefly, bounded) until the flag is set, so nobody ever uses a half-made set.
 */
public final class SysvBackend implements Backend {
    /** The one instance; creating it binds the System V functions. */
    public static final SysvBackend INSTANCE = new SysvBackend();

    private static final long INIT_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private SysvBackend() {}

    @Override
    public Opened create(SemaphoreName name, int initialPermits, int maxPermits, int mode, boolean openIfExists) {
        int key = SysvKeys.keyOf(name);
        claimKey(name, key, mode);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            for (;;) {
                int semid = SysV.semget(capture, key, SysvSemaphore.NSEMS, SysV.IPC_CREAT | SysV.IPC_EXCL | mode);
                if (semid >= 0) {
                    MemorySegment values = arena.allocate(MemoryLayout.sequenceLayout(SysvSemaphore.NSEMS, JAVA_SHORT));
                    values.set(JAVA_SHORT, 2L * SysvSemaphore.COUNT, (short) initialPermits);
                    values.set(JAVA_SHORT, 2L * SysvSemaphore.HEADROOM, (short) (maxPermits - initialPermits));
                    values.set(JAVA_SHORT, 2L * SysvSemaphore.INITIALISED, (short) 1);
                    if (SysV.semctlArray(capture, semid, SysV.SETALL, values) != 0) {
                        int errno = NativeLayouts.errno(capture);
                        SysV.semctl(capture, semid, 0, SysV.IPC_RMID);
                        throw SysvErrors.failure("semctl(SETALL)", name, errno);
                    }
                    return new Opened(new SysvSemaphore(name, semid), true);
                }
                int errno = NativeLayouts.errno(capture);
                if (errno != Errno.EEXIST || !openIfExists) {
                    throw SysvErrors.failure("semget(IPC_CREAT|IPC_EXCL)", name, errno);
                }
                semid = SysV.semget(capture, key, SysvSemaphore.NSEMS, 0);
                if (semid >= 0) {
                    awaitInitialised(name, semid, capture);
                    return new Opened(new SysvSemaphore(name, semid), false);
                }
                if (NativeLayouts.errno(capture) != Errno.ENOENT) {
                    throw SysvErrors.failure("semget", name, NativeLayouts.errno(capture));
                }
                // Removed between our two calls: try to be the creator again.
            }
        }
    }

    @Override
    public NativeSemaphore open(SemaphoreName name) {
        int key = SysvKeys.keyOf(name);
        String owner = markerOwner(key);
        if (owner == null || !owner.equals(name.portable())) {
            throw new NoSuchSemaphoreException("No " + SysvErrors.describe(name) + " exists"
                    + (owner == null ? "" : " (its key belongs to the crash-safe semaphore " + owner + ")")
                    + ". Create it first with the CRASH_SAFE kind.", name.portable(), SysvKeys.osName(name), CRASH_SAFE, Errno.ENOENT, "ENOENT");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            int semid = SysV.semget(capture, key, SysvSemaphore.NSEMS, 0);
            if (semid < 0) {
                throw SysvErrors.failure("semget", name, NativeLayouts.errno(capture));
            }
            awaitInitialised(name, semid, capture);
            return new SysvSemaphore(name, semid);
        }
    }

    @Override
    public boolean unlink(SemaphoreName name) {
        int key = SysvKeys.keyOf(name);
        String owner = markerOwner(key);
        if (owner != null && !owner.equals(name.portable())) {
            return false; // the key is another name's
        }
        boolean removed = false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            int semid = SysV.semget(capture, key, 0, 0);
            if (semid >= 0) {
                if (SysV.semctl(capture, semid, 0, SysV.IPC_RMID) != 0) {
                    throw SysvErrors.failure("semctl(IPC_RMID)", name, NativeLayouts.errno(capture));
                }
                removed = true;
            } else if (NativeLayouts.errno(capture) != Errno.ENOENT) {
                throw SysvErrors.failure("semget", name, NativeLayouts.errno(capture));
            }
        }
        try {
            Files.deleteIfExists(SysvKeys.marker(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + SysvKeys.marker(key), e);
        }
        return removed;
    }

    @Override
    public int maxPermitsLimit() {
        return SysV.SEMVMX;
    }

    /** Waits until the creator's SETALL has set the "initialised" semaphore. */
    private static void awaitInitialised(SemaphoreName name, int semid, MemorySegment capture) {
        long deadline = System.nanoTime() + INIT_WAIT_NANOS;
        for (;;) {
            int flag = SysV.semctl(capture, semid, SysvSemaphore.INITIALISED, SysV.GETVAL);
            if (flag == 1) {
                return;
            }
            if (flag < 0) {
                throw SysvErrors.failure("semctl(GETVAL)", name, NativeLayouts.errno(capture));
            }
            if (System.nanoTime() > deadline) {
                throw new NamedSemaphoreException("The " + SysvErrors.describe(name) + " exists but was never"
                        + " initialised: its creator died between semget and semctl(SETALL). Remove it with"
                        + " NamedSemaphore.unlink(name, crash-safe options) and create it again.",
                        name.portable(), SysvKeys.osName(name), CRASH_SAFE, 0, null);
            }
            Thread.onSpinWait(); // the creator's next system call sets it; this is a matter of microseconds
            Thread.yield();
        }
    }

    /** Records that {@code name} owns {@code key}, or fails if another name does. */
    private static void claimKey(SemaphoreName name, int key, int mode) {
        Path marker = SysvKeys.marker(key);
        byte[] bytes = name.portable().getBytes(StandardCharsets.UTF_8);
        try {
            Path temp = Files.createTempFile(SysvKeys.MARKER_DIR, ".namedsem-sysv-", ".tmp");
            try {
                Files.write(temp, bytes);
                Files.setPosixFilePermissions(temp, readableAs(mode));
                Files.createLink(marker, temp); // atomic and exclusive: the marker appears whole or not at all
            } catch (FileAlreadyExistsException taken) {
                String owner = markerOwner(key);
                if (owner != null && !owner.equals(name.portable())) {
                    throw new NamedSemaphoreException("The names " + name.portable() + " and " + owner + " map to the same"
                            + String.format(" System V key 0x%08x", key) + ", which " + owner + " already uses."
                            + " Choose another name for this crash-safe semaphore.", name.portable(), SysvKeys.osName(name), CRASH_SAFE, Errno.EEXIST, "EEXIST");
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the owner of " + SysvErrors.describe(name) + " in " + marker, e);
        }
    }

    private static Set<PosixFilePermission> readableAs(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if ((mode & 0060) != 0) {
            permissions.add(PosixFilePermission.GROUP_READ);
        }
        if ((mode & 0006) != 0) {
            permissions.add(PosixFilePermission.OTHERS_READ);
        }
        return permissions;
    }

    /** The name recorded for a key, or null if none is. */
    static String markerOwner(int key) {
        try {
            return new String(Files.readAllBytes(SysvKeys.marker(key)), StandardCharsets.UTF_8);
        } catch (NoSuchFileException none) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SysvKeys.marker(key), e);
        }
    }

}
