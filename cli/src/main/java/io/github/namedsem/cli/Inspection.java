package io.github.namedsem.cli;

import io.github.namedsem.HolderReport;
import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.SemaphoreHolder;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What {@code info} and {@code list} report about a semaphore. Looking never changes the count:
 * the semaphore is opened, read with {@code availablePermits()} and {@code holders()}, and closed.
 * Everything found in /dev/shm is untrusted: a bad entry is reported in its own entry, never
 * followed through a link, and never ends the listing.
 */
final class Inspection {
    /** glibc keeps the POSIX semaphore /NAME as the file /dev/shm/sem.NAME. */
    static final Path SHM = Path.of("/dev/shm");
    private static final String PREFIX = "sem.";
    private static final String MARKER_PREFIX = "namedsem-sysv-";
    /** glibc's sem_t on 64-bit Linux; a shorter file cannot be a semaphore. */
    private static final int SEM_T_SIZE = 32;

    private Inspection() {}

    /** One semaphore, as {@code --json} prints it: keys in this order, absent facts as null. */
    static Map<String, Object> describe(String name, SemaphoreKind kind) {
        try (NamedSemaphore sem = NamedSemaphore.open(name, SemaphoreOptions.defaults().kind(kind))) {
            return describe(sem);
        }
    }

    static Map<String, Object> describe(NamedSemaphore sem) {
        Map<String, Object> info = Json.object();
        info.put("name", sem.name());
        info.put("osName", sem.osName());
        info.put("kind", kindName(sem.kind()));
        info.put("available", sem.availablePermits());
        info.put("max", sem.maxPermits().isPresent() ? (Object) sem.maxPermits().getAsInt() : null);
        if (sem.kind() == SemaphoreKind.STANDARD) {
            addFileFacts(sem.name(), info);
        }
        addHolders(sem.holders(), info);
        return info;
    }

    private static void addHolders(HolderReport report, Map<String, Object> info) {
        List<Object> holders = new ArrayList<>();
        for (SemaphoreHolder h : report.holders()) {
            Map<String, Object> holder = Json.object();
            holder.put("pid", h.pid());
            holder.put("command", h.command());
            holder.put("started", h.started().map(Object::toString).orElse(null));
            holder.put("permits", h.permits());
            holder.put("state", h.state().name().toLowerCase(java.util.Locale.ROOT));
            holder.put("trusted", h.trusted());
            holders.add(holder);
        }
        info.put("holders", holders);
        info.put("deadPermits", report.deadPermits());
        info.put("deadPermitsReturned", report.deadHoldersReturned());
        info.put("waiters", report.waiters().isPresent() ? (Object) report.waiters().getAsInt() : null);
        info.put("lastPid", report.lastOperationPid().isPresent() ? (Object) report.lastOperationPid().getAsLong() : null);
    }

    static String kindName(SemaphoreKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Like {@link #describe}, but a semaphore this user cannot open is listed with its error. */
    static Map<String, Object> describeOrError(String name, SemaphoreKind kind) {
        try {
            return describe(name, kind);
        } catch (NamedSemaphoreException e) {
            return failed(name, kind, e.errorName() != null ? e.errorName() : e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (IllegalArgumentException badName) {
            return failed(name, kind, "not a valid name: " + badName.getMessage());
        } catch (RuntimeException | InternalError damaged) { // e.g. a planted file the library cannot map
            return failed(name, kind, damaged.getClass().getSimpleName() + ": " + damaged.getMessage());
        }
    }

    /** An entry that could not be opened: what was found and why it is not a usable semaphore. */
    private static Map<String, Object> failed(String name, SemaphoreKind kind, String error) {
        Map<String, Object> info = Json.object();
        info.put("name", name);
        info.put("osName", kind == SemaphoreKind.STANDARD ? CliErrors.osName(name) : null);
        info.put("kind", kindName(kind));
        info.put("available", null);
        info.put("max", null);
        if (kind == SemaphoreKind.STANDARD) {
            addFileFacts(name, info);
        }
        info.put("error", error);
        return info;
    }

    private static void addFileFacts(String name, Map<String, Object> info) {
        if (CliErrors.isWindows()) {
            return; // a kernel object, no file; and a legal name such as a:b is no legal path there
        }
        Path file;
        try {
            file = SHM.resolve(PREFIX + name);
        } catch (RuntimeException notAPath) {
            return;
        }
        PosixFileAttributes attributes;
        try {
            // The entry itself, never what a planted link points to.
            attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return; // Windows, or another libc's layout
        }
        info.put("file", file.toString());
        info.put("owner", attributes.owner().getName());
        info.put("mode", String.format("0%o", modeBits(attributes)));
    }

    private static int modeBits(PosixFileAttributes attributes) {
        int mode = 0;
        for (var p : attributes.permissions()) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0 and bit 0400
        }
        return mode;
    }

    /** Every POSIX semaphore file in /dev/shm, each described or with what is wrong with it, sorted by name. */
    static List<Map<String, Object>> listStandard() {
        if (CliErrors.isWindows()) {
            throw new UnsupportedOperationException("list cannot enumerate semaphores on Windows: Win32 has no"
                    + " documented call that lists named kernel objects, so namedsem can show only a semaphore whose"
                    + " name you know: run 'namedsem info NAME' (with Global\\ for one in the global namespace)");
        }
        if (!Files.isDirectory(SHM)) {
            throw new UnsupportedOperationException("listing needs the POSIX semaphore directory /dev/shm (Linux),"
                    + " which this system does not have; 'namedsem info NAME' shows a semaphore whose name you know");
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (Path file : entries(PREFIX + "*")) {
            String name = file.getFileName().toString().substring(PREFIX.length());
            String problem = fileProblem(file, name);
            all.add(problem == null ? describeOrError(name, SemaphoreKind.STANDARD)
                    : failed(name, SemaphoreKind.STANDARD, problem));
        }
        all.sort(Comparator.comparing(m -> String.valueOf(m.get("name"))));
        return all;
    }

    /** Why a /dev/shm entry cannot be a semaphore, or null if it may be one; found without opening it. */
    private static String fileProblem(Path file, String name) {
        if (name.indexOf('\uFFFD') >= 0) {
            return "the file name is not UTF-8, so no semaphore name maps to it";
        }
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return "cannot read the entry: " + e.getMessage();
        }
        if (a.isSymbolicLink()) {
            return "a symbolic link, not a semaphore (not followed); whoever planted it should remove it";
        }
        if (!a.isRegularFile()) {
            return "not a regular file, so not a semaphore";
        }
        if (a.size() < SEM_T_SIZE) {
            return "the file has " + a.size() + " bytes, fewer than a semaphore's " + SEM_T_SIZE
                    + ": damaged or not a semaphore; its owner should remove it";
        }
        return null;
    }

    /** Every crash-safe semaphore recorded in a /dev/shm/namedsem-sysv-* marker, each described or with its error. */
    static List<Map<String, Object>> listCrashSafe() {
        if (CliErrors.isWindows() || !Files.isDirectory(SHM)) {
            return List.of();
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (Path marker : entries(MARKER_PREFIX + "*")) {
            String name;
            try {
                name = readMarker(marker);
            } catch (IOException bad) {
                Map<String, Object> info = failed(marker.getFileName().toString(), SemaphoreKind.CRASH_SAFE,
                        "bad marker " + marker + ": " + bad.getMessage());
                info.put("file", marker.toString());
                all.add(info);
                continue;
            }
            all.add(describeOrError(name, SemaphoreKind.CRASH_SAFE));
        }
        all.sort(Comparator.comparing(m -> String.valueOf(m.get("name"))));
        return all;
    }

    /**
     * The name in a marker. The library reads it: {@code O_NOFOLLOW|O_NONBLOCK} and {@code statx}
     * on the open descriptor (no moment in which a FIFO or a link can be swapped in), at most
     * 512 bytes, and without the IPC namespace part that follows the name after a NUL.
     */
    static String readMarker(Path marker) throws IOException {
        return io.github.namedsem.internal.sysv.SysvKeys.markerName(marker);
    }

    private static List<Path> entries(String glob) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(SHM, glob)) {
            files.forEach(entries::add);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + SHM, e);
        }
        return entries;
    }
}
