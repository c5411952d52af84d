package io.github.namedsem.internal.holders;

import io.github.namedsem.HolderReport;
import io.github.namedsem.SemaphoreHolder;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.internal.NativeSemaphore;
import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.internal.platform.Platform;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The holder registry: one small file per (semaphore, holder process) in {@code /dev/shm},
 * written only by the holder, saying how many permits it holds.
 *
 * <p>File name {@code namedsem-holder-K-HASH-PID-START}: K is {@code s} (standard) or {@code c}
 * (crash-safe), HASH the 64-bit FNV-1a of the name's UTF-8 bytes in hex, PID and START (clock ticks
 * since boot, from {@code /proc/PID/stat}) identify the process. The content is lines of
 * {@code key value}: {@code name-hex}, {@code permits}, {@code started-ms} and {@code command}.
 * Each change is written to a temporary file and renamed over the entry, so readers never see half
 * of one. A holder records a permit after taking it and un-records it before giving it back: if it
 * dies between the two steps the record shows too few permits, never too many, so a repair never
 * adds a permit that was not lost.
 *
 * <p>Everything here is read as untrusted input: entries are read without following links, only
 * as regular files, at most {@link #ENTRY_LIMIT} bytes, and must match their file name.
 */
public final class HolderRegistry {
    static final Path DIR = Path.of("/dev/shm");
    static final String PREFIX = "namedsem-holder-";
    /** Temporary files of a write in progress; a holder killed mid-write leaves one behind. */
    public static final String TEMP_PREFIX = ".namedsem-holder-";
    private static final int ENTRY_LIMIT = 4096;
    private static final int COMMAND_LIMIT = 1024;

    /** This process's permits per entry file name, so that several handles add up. */
    private static final Map<String, Integer> HELD = new HashMap<>();

    private HolderRegistry() {}

    /** One entry as read back. */
    record Entry(Path file, long pid, long startTicks, int permits, Optional<Instant> started, String command,
                 UserPrincipal owner, String semaphore) {}

    /**
     * Whether this platform keeps a registry: Linux, where {@code /dev/shm} and {@code /proc} are.
     *
     * @return true where holders can be recorded
     */
    public static boolean supported() {
        // By OS first: a Windows drive may have a \dev\shm folder, and an emulated Windows run on
        // Linux (the Windows backend's tests) has the real one, which is not where Windows keeps anything.
        return Platform.OS == Platform.Os.LINUX && Files.isDirectory(DIR) && Files.isDirectory(Path.of("/proc/self"));
    }

    /**
     * Records that this process now holds {@code delta} more (or fewer) permits. Best effort: a
     * registry that cannot be written never fails the acquire or release it describes.
     *
     * @param kind the semaphore's kind
     * @param name the semaphore's name
     * @param command what to record as the command, or null for this process's command line
     * @param semaphore the semaphore's {@link #identity}, taken when it was opened
     * @param delta permits taken (positive) or given back (negative)
     * @return how much the recorded count changed: {@code delta}, or less when giving back more
     *     than was recorded
     */
    public static synchronized int change(SemaphoreKind kind, SemaphoreName name, String command, String semaphore,
                                         int delta) {
        long pid = ProcessHandle.current().pid();
        String fileName = fileName(kind, name) + pid + "-" + SelfStart.TICKS;
        int before = HELD.getOrDefault(fileName, 0);
        int held = Math.max(0, before + delta);
        try {
            if (held == 0) {
                HELD.remove(fileName);
                Files.deleteIfExists(DIR.resolve(fileName));
            } else {
                HELD.put(fileName, held);
                write(DIR.resolve(fileName), content(name, held, command, semaphore));
            }
        } catch (IOException | RuntimeException e) {
            // Holder records are a diagnostic aid; the permit itself was taken or given back.
        }
        return held - before;
    }

    /** The recorded holders of a semaphore, with the process table's verdict on each. */
    public static List<SemaphoreHolder> holders(SemaphoreKind kind, SemaphoreName name) {
        List<SemaphoreHolder> holders = new ArrayList<>();
        Trust trust = new Trust(kind, name);
        String current = identity(kind, name);
        for (Entry e : entries(kind, name)) {
            if (e.semaphore().equals(current)) { // else it held an earlier semaphore of that name
                holders.add(holder(e, trust));
            }
        }
        holders.sort(Comparator.comparingLong(SemaphoreHolder::pid));
        return holders;
    }

    /**
     * Takes the entries of dead, trusted holders out of the registry, each by one atomic rename
     * so that two repairs never both claim it, and returns them. The caller gives their permits
     * back; if it dies first they stay lost, never doubled.
     */
    public static List<SemaphoreHolder> claimDead(SemaphoreKind kind, SemaphoreName name) {
        List<SemaphoreHolder> claimed = new ArrayList<>();
        Trust trust = new Trust(kind, name);
        String current = identity(kind, name);
        for (Entry e : entries(kind, name)) {
            SemaphoreHolder h = holder(e, trust);
            if (h.state() != SemaphoreHolder.State.DEAD || !h.trusted() || !e.semaphore().equals(current)) {
                continue;
            }
            Path mine = DIR.resolve(TEMP_PREFIX + "repair-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
            try {
                Files.move(e.file(), mine, StandardCopyOption.ATOMIC_MOVE);
                Files.deleteIfExists(mine);
                claimed.add(h);
            } catch (IOException | RuntimeException lostRace) {
                // another repair took it, or this user may not remove it: not ours to give back
            }
        }
        return claimed;
    }

    /**
     * Who holds and waits for a semaphore: the registry's holders and the kernel's facts.
     *
     * @param kind the kind
     * @param name the name
     * @param semaphore the open semaphore, for what the kernel reports
     * @return the report; no holders where there is no registry
     */
    public static HolderReport report(SemaphoreKind kind, SemaphoreName name, NativeSemaphore semaphore) {
        List<SemaphoreHolder> holders = supported() ? holders(kind, name) : List.of();
        return new HolderReport(kind, holders, semaphore.waiters(), semaphore.lastOperationPid());
    }

    /**
     * Claims the records of dead holders and, for the standard kind, gives their permits back
     * (past this process's own record: they were another process's permits). The crash-safe
     * kernel gave them back already.
     *
     * @param kind the kind
     * @param name the name
     * @param semaphore the open semaphore
     * @return the holders repaired
     */
    public static List<SemaphoreHolder> repair(SemaphoreKind kind, SemaphoreName name, NativeSemaphore semaphore) {
        if (!supported()) {
            return List.of();
        }
        List<SemaphoreHolder> dead = claimDead(kind, name);
        NativeSemaphore target = semaphore instanceof RecordingSemaphore r ? r.unrecorded() : semaphore;
        if (kind == SemaphoreKind.STANDARD) {
            for (SemaphoreHolder holder : dead) {
                target.release(holder.permits());
            }
        }
        return dead;
    }

    /**
     * Removes the records of dead holders after the name was unlinked: they held a semaphore that
     * no longer has a name, and would otherwise stay in {@code /dev/shm} for good. Records of live
     * holders stay until those processes give their permits back.
     */
    public static void forgetDead(SemaphoreKind kind, SemaphoreName name) {
        for (Entry e : entries(kind, name)) {
            if (ProcessTable.state(e.pid(), e.startTicks()) == SemaphoreHolder.State.DEAD) {
                try {
                    Files.deleteIfExists(e.file());
                } catch (IOException | RuntimeException notOurs) {
                    // another user's record in the sticky /dev/shm: theirs to remove
                }
            }
        }
    }

    /**
     * Which semaphore currently has the name, so that records of holders of an earlier one (since
     * unlinked and created anew) are never taken for holders of this one: for the standard kind
     * the file's device and inode; the crash-safe kind needs none, as nothing is released for it.
     *
     * @param kind the kind
     * @param name the name
     * @return an identity, or "" where there is none
     */
    public static String identity(SemaphoreKind kind, SemaphoreName name) {
        if (kind != SemaphoreKind.STANDARD) {
            return "";
        }
        try {
            Object key = Files.readAttributes(DIR.resolve("sem." + name.portable()), PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            return key == null ? "" : key.toString().replace(' ', '_');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static SemaphoreHolder holder(Entry e, Trust trust) {
        return new SemaphoreHolder(e.pid(), e.command(), e.started(), e.permits(),
                ProcessTable.state(e.pid(), e.startTicks()), trust.trusts(e.owner()));
    }

    /**
     * Whose records a repair believes: the current user's and the semaphore owner's, who could
     * release the permits anyway. Anyone else could plant a record of a dead pid to have a
     * repair add permits they may not add themselves.
     */
    private record Trust(UserPrincipal self, UserPrincipal semaphoreOwner) {
        Trust(SemaphoreKind kind, SemaphoreName name) {
            this(HolderRegistry.self(), HolderRegistry.semaphoreOwner(kind, name));
        }

        boolean trusts(UserPrincipal owner) {
            return owner.equals(self) || owner.equals(semaphoreOwner);
        }
    }

    private static List<Entry> entries(SemaphoreKind kind, SemaphoreName name) {
        String prefix = fileName(kind, name);
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(DIR, prefix + "*")) {
            for (Path file : files) {
                Entry e = parse(file, prefix, name);
                if (e != null) {
                    entries.add(e);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // no registry to show
        }
        return entries;
    }

    /** An entry, or null if the file is not one of ours for this name (junk is skipped, never believed). */
    private static Entry parse(Path file, String prefix, SemaphoreName name) {
        try {
            String[] idParts = file.getFileName().toString().substring(prefix.length()).split("-");
            if (idParts.length != 2) {
                return null;
            }
            long pid = Long.parseLong(idParts[0]);
            long ticks = Long.parseLong(idParts[1]);
            Map<String, String> fields = new HashMap<>();
            for (String line : new String(Bounded.read(file, ENTRY_LIMIT), StandardCharsets.UTF_8).split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    fields.put(line.substring(0, space), line.substring(space + 1));
                }
            }
            if (!HexFormat.of().formatHex(name.utf8()).equals(fields.get("name-hex"))) {
                return null; // another name with the same hash, or junk
            }
            int permits = Integer.parseInt(fields.getOrDefault("permits", ""));
            if (permits < 1 || pid < 1) {
                return null;
            }
            Optional<Instant> started = Optional.ofNullable(fields.get("started-ms"))
                    .map(ms -> Instant.ofEpochMilli(Long.parseLong(ms)));
            UserPrincipal owner = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).owner();
            return new Entry(file, pid, ticks, permits, started, printable(fields.getOrDefault("command", "")), owner,
                    fields.getOrDefault("semaphore", ""));
        } catch (IOException | RuntimeException junk) {
            return null;
        }
    }

    private static String content(SemaphoreName name, int permits, String command, String semaphore) {
        String cmd = command != null ? command : ProcessHandle.current().info().commandLine().orElse("");
        long started = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        return "name-hex " + HexFormat.of().formatHex(name.utf8()) + "\n"
                + "semaphore " + semaphore + "\n"
                + "permits " + permits + "\n"
                + (started >= 0 ? "started-ms " + started + "\n" : "")
                + "command " + printable(cmd) + "\n";
    }

    private static void write(Path entry, String content) throws IOException {
        Path temp = DIR.resolve(TEMP_PREFIX + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
        try {
            try (SeekableByteChannel out = Files.newByteChannel(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")))) {
                out.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            }
            try {
                Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException impossibleInOneDirectory) {
                Files.move(temp, entry, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Control characters would let a record rewrite a terminal; at most {@link #COMMAND_LIMIT} chars. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(COMMAND_LIMIT).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static String fileName(SemaphoreKind kind, SemaphoreName name) {
        long hash = 0xcbf29ce484222325L; // 64-bit FNV-1a
        for (byte b : name.utf8()) {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return PREFIX + (kind == SemaphoreKind.CRASH_SAFE ? "c" : "s") + "-" + String.format("%016x", hash) + "-";
    }

    private static UserPrincipal self() {
        try {
            return Files.getOwner(Path.of("/proc/self"));
        } catch (IOException e) {
            return null;
        }
    }

    /** The owner of a standard semaphore's file (glibc: /dev/shm/sem.NAME), who may release anyway. */
    private static UserPrincipal semaphoreOwner(SemaphoreKind kind, SemaphoreName name) {
        if (kind != SemaphoreKind.STANDARD) {
            return null;
        }
        try {
            return Files.readAttributes(DIR.resolve("sem." + name.portable()), PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).owner();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** This process's start, read once. */
    private static final class SelfStart {
        static final long TICKS = ProcessTable.selfStartTicks();
    }
}
