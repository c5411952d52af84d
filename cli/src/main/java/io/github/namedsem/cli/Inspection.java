package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code info} and {@code list} report about a semaphore. Looking never changes the count:
 * the semaphore is opened, read with {@code availablePermits()} and closed.
 */
final class Inspection {
    /** glibc keeps the POSIX semaphore /NAME as the file /dev/shm/sem.NAME. */
    static final Path SHM = Path.of("/dev/shm");
    private static final String PREFIX = "sem.";

    private Inspection() {}

    /** One semaphore, as {@code --json} prints it: keys in this order, absent facts as null. */
    static Map<String, Object> describe(String name, SemaphoreKind kind) {
        Map<String, Object> info = Json.object();
        try (NamedSemaphore sem = NamedSemaphore.open(name, SemaphoreOptions.defaults().kind(kind))) {
            info.put("name", sem.name());
            info.put("osName", sem.osName());
            info.put("kind", kindName(kind));
            info.put("available", sem.availablePermits());
            info.put("max", sem.maxPermits().isPresent() ? (Object) sem.maxPermits().getAsInt() : null);
            if (kind == SemaphoreKind.STANDARD) {
                addFileFacts(sem.name(), info);
            }
        }
        return info;
    }

    static String kindName(SemaphoreKind kind) {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Like {@link #describe}, but a semaphore this user cannot open is listed with its error. */
    static Map<String, Object> describeOrError(String name, SemaphoreKind kind) {
        try {
            return describe(name, kind);
        } catch (NamedSemaphoreException e) {
            Map<String, Object> info = Json.object();
            info.put("name", name);
            info.put("osName", kind != SemaphoreKind.STANDARD ? null : CliErrors.osName(name));
            info.put("kind", kindName(kind));
            info.put("available", null);
            info.put("max", null);
            if (kind == SemaphoreKind.STANDARD) {
                addFileFacts(name, info);
            }
            info.put("error", e.errorName() != null ? e.errorName() : e.getClass().getSimpleName());
            return info;
        }
    }

    private static void addFileFacts(String name, Map<String, Object> info) {
        if (CliErrors.isWindows()) {
            return; // a kernel object, no file; and a legal name such as a:b is no legal path there
        }
        Path file = SHM.resolve(PREFIX + name);
        if (!Files.exists(file)) {
            return; // Windows, or another libc's layout
        }
        info.put("file", file.toString());
        try {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
            info.put("owner", attributes.owner().getName());
            info.put("mode", String.format("0%o", modeBits(attributes)));
        } catch (IOException | UnsupportedOperationException e) {
            info.put("owner", null);
            info.put("mode", null);
        }
    }

    private static int modeBits(PosixFileAttributes attributes) {
        int mode = 0;
        for (var p : attributes.permissions()) {
            mode |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0 and bit 0400
        }
        return mode;
    }

    /** The names of the crash-safe semaphores recorded in /dev/shm/namedsem-sysv-* markers, sorted. */
    static List<String> listCrashSafeNames() {
        if (CliErrors.isWindows() || !Files.isDirectory(SHM)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(SHM)) {
            // Regular files only: opening a FIFO someone named namedsem-sysv-* blocks until a writer comes.
            for (Path p : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith("namedsem-sysv-")
                    && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))::iterator) {
                try {
                    names.add(Files.readString(p));
                } catch (IOException unreadable) {
                    // not ours to show
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SHM, e);
        }
        names.sort(null);
        return names;
    }

    /** The portable names of every POSIX semaphore visible in /dev/shm, sorted. */
    static List<String> listNames() {
        if (CliErrors.isWindows()) {
            throw new UnsupportedOperationException("list cannot enumerate semaphores on Windows: Win32 has no"
                    + " documented call that lists named kernel objects, so namedsem can show only a semaphore whose"
                    + " name you know: run 'namedsem info NAME' (with Global\\ for one in the global namespace)");
        }
        if (!Files.isDirectory(SHM)) {
            throw new UnsupportedOperationException("listing needs the POSIX semaphore directory /dev/shm (Linux),"
                    + " which this system does not have; 'namedsem info NAME' shows a semaphore whose name you know");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(SHM)) {
            files.map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith(PREFIX) && f.length() > PREFIX.length())
                    .map(f -> f.substring(PREFIX.length()))
                    .sorted()
                    .forEach(names::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SHM, e);
        }
        return names;
    }
}
