package io.github.namedsem.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks of {@code namedsem doctor}: what on this machine decides whether named semaphores
 * work, be shared and last, each explained in plain words. Every file is read below {@code root}
 * ({@code /} in use) so that tests can build a machine in a temporary directory.
 */
final class Doctor {
    enum Status { OK, INFO, WARN, FAIL }

    record Finding(Status status, String topic, String text) {}

    /** A temporary marker older than this was left by a creator that died mid-claim; a live one lasts microseconds. */
    static final Duration STALE = Duration.ofMinutes(1);
    private static final long LOW_SHM_BYTES = 1L << 20;

    private final Path root;

    Doctor(Path root) {
        this.root = root;
    }

    private Path path(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    List<Finding> run() {
        return List.of(shm(), ipcNamespace(), umask(), removeIpc(), maxMapCount(), leftoverTemporaryFiles(), bothKinds());
    }

    Finding shm() {
        Path shm = path("/dev/shm");
        if (!Files.isDirectory(shm)) {
            return new Finding(Status.FAIL, "/dev/shm", "missing: POSIX semaphores live there (glibc), so no standard"
                    + " semaphore can be created; mount a tmpfs on it ('mount -t tmpfs tmpfs /dev/shm', or in a"
                    + " container do not mount over it)");
        }
        Optional<String> type = mountType("/dev/shm");
        long free;
        try {
            free = Files.getFileStore(shm).getUsableSpace();
        } catch (IOException e) {
            free = -1;
        }
        String mounted = type.map(t -> "mounted (" + t + ")").orElse("not a mount of its own: semaphores live on the"
                + " file system it belongs to, which may not be memory and may outlive a reboot");
        String space = free < 0 ? "free space unknown" : bytes(free) + " free";
        if (free >= 0 && free < LOW_SHM_BYTES) {
            return new Finding(Status.FAIL, "/dev/shm", mounted + ", only " + space + ": creating a semaphore needs a"
                    + " page; free space there (or remount it larger)");
        }
        return new Finding(type.isPresent() ? Status.OK : Status.WARN, "/dev/shm", mounted + ", " + space
                + ". Standard semaphores are shared by every process that sees this /dev/shm.");
    }

    Finding ipcNamespace() {
        Optional<String> self = link("/proc/self/ns/ipc");
        Optional<String> init = link("/proc/1/ns/ipc");
        if (self.isEmpty()) {
            return new Finding(Status.INFO, "IPC namespace", "cannot tell (/proc/self/ns/ipc unreadable)");
        }
        if (init.isEmpty()) {
            return new Finding(Status.INFO, "IPC namespace", "this process is in " + self.get() + "; whether that is"
                    + " the machine's cannot be told (/proc/1/ns/ipc is not readable for this user). Crash-safe"
                    + " semaphores are seen only inside one IPC namespace.");
        }
        if (self.equals(init)) {
            return new Finding(Status.OK, "IPC namespace", "shared with pid 1 (" + self.get() + "): crash-safe"
                    + " (System V) semaphores are visible to every process on this machine outside containers");
        }
        return new Finding(Status.WARN, "IPC namespace", "this process is in its own IPC namespace (" + self.get()
                + ", pid 1 has " + init.get() + "), as in a container: crash-safe (System V) semaphores are shared"
                + " only with processes in the same IPC namespace, while standard ones follow /dev/shm. With a"
                + " shared /dev/shm and separate IPC namespaces one crash-safe name means different sets; run"
                + " containers with --ipc=host or --ipc=container:NAME to share them");
    }

    Finding umask() {
        Optional<Integer> umask = statusField("Umask").map(v -> Integer.parseInt(v.trim(), 8));
        if (umask.isEmpty()) {
            return new Finding(Status.INFO, "umask", "unknown (/proc/self/status has no Umask line)");
        }
        int mask = umask.get();
        String text = String.format("%04o: a semaphore created with --mode 0660 gets %04o", mask, 0660 & ~mask);
        if ((mask & 0060) != 0) {
            return new Finding(Status.WARN, "umask", text + ", so the group cannot open it (POSIX semaphores need"
                    + " read and write); for shared semaphores run with umask 0002 or 0007");
        }
        return new Finding(Status.OK, "umask", text);
    }

    Finding removeIpc() {
        boolean systemd = Files.isDirectory(path("/run/systemd/system")) || Files.exists(path("/etc/systemd/logind.conf"));
        if (!systemd) {
            return new Finding(Status.OK, "RemoveIPC", "systemd-logind is not in use: nothing removes semaphores at logout");
        }
        String value = "yes";
        String where = "systemd's built-in default";
        List<Path> files = new ArrayList<>(List.of(path("/usr/lib/systemd/logind.conf"), path("/etc/systemd/logind.conf")));
        // Drop-ins override the main file; among them the name decides, in every directory together.
        List<Path> dropIns = new ArrayList<>();
        for (String dir : List.of("/usr/lib/systemd/logind.conf.d", "/run/systemd/logind.conf.d", "/etc/systemd/logind.conf.d")) {
            try (DirectoryStream<Path> confs = Files.newDirectoryStream(path(dir), "*.conf")) {
                confs.forEach(dropIns::add);
            } catch (IOException absent) {
                // no drop-ins there
            }
        }
        dropIns.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        files.addAll(dropIns);
        for (Path file : files) {
            Optional<String> set = loginSetting(file, "RemoveIPC");
            if (set.isPresent()) {
                value = set.get();
                where = root.relativize(file).toString();
                where = "/" + where;
            }
        }
        boolean removes = switch (value.toLowerCase(Locale.ROOT)) {
            case "no", "false", "off", "0" -> false;
            default -> true;
        };
        if (!removes) {
            return new Finding(Status.OK, "RemoveIPC", "no (" + where + "): logging out leaves semaphores alone");
        }
        return new Finding(Status.WARN, "RemoveIPC", "yes (" + where + "): when a user's last session ends,"
                + " systemd-logind deletes every POSIX semaphore and System V set that user owns (root and system"
                + " users excepted). Semaphores that must outlive a login belong to a system user, or set"
                + " RemoveIPC=no in /etc/systemd/logind.conf.d/namedsem.conf under [Login]");
    }

    Finding maxMapCount() {
        try {
            long max;
            // Not Files.readString: it trusts the size /proc reports for the file, and reads a digit too few or many.
            try (var in = Files.newInputStream(path("/proc/sys/vm/max_map_count"))) {
                max = Long.parseLong(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
            }
            String text = max + ": each open standard semaphore maps its own page, so one process can have"
                    + " at most about that many open, less what else it maps";
            return new Finding(max < 10_000 ? Status.WARN : Status.OK, "vm.max_map_count",
                    max < 10_000 ? text + "; raise it with sysctl vm.max_map_count=65530" : text);
        } catch (IOException | NumberFormatException e) {
            return new Finding(Status.INFO, "vm.max_map_count", "unknown (/proc/sys/vm/max_map_count unreadable)");
        }
    }

    Finding leftoverTemporaryFiles() {
        List<String> stale = new ArrayList<>();
        Instant before = Instant.now().minus(STALE);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(path("/dev/shm"), ".namedsem-*.tmp")) {
            for (Path temp : temps) {
                FileTime modified = Files.getLastModifiedTime(temp, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (modified.toInstant().isBefore(before)) {
                    stale.add(temp.getFileName().toString());
                }
            }
        } catch (IOException e) {
            return new Finding(Status.INFO, "temporary files", "cannot read /dev/shm: " + e.getMessage());
        }
        if (stale.isEmpty()) {
            return new Finding(Status.OK, "temporary files", "no leftover .namedsem-*.tmp files in /dev/shm");
        }
        stale.sort(null);
        return new Finding(Status.WARN, "temporary files", stale.size() + " leftover file(s) of namedsem processes"
                + " killed while creating a crash-safe semaphore or recording a holder: " + Text.printable(String.join(", ", stale))
                + "; they hold nothing and can be removed with rm /dev/shm/.namedsem-*.tmp (their owners may)");
    }

    Finding bothKinds() {
        List<String> both = new ArrayList<>();
        try (DirectoryStream<Path> markers = Files.newDirectoryStream(path("/dev/shm"), "namedsem-sysv-*")) {
            for (Path marker : markers) {
                try {
                    String name = Inspection.readMarker(marker);
                    String bare = name.startsWith("/") ? name.substring(1) : name;
                    if (!bare.isEmpty() && bare.indexOf('/') < 0
                            && Files.exists(path("/dev/shm").resolve("sem." + bare), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        both.add(bare);
                    }
                } catch (IOException | RuntimeException badMarker) {
                    // 'namedsem list' reports bad markers
                }
            }
        } catch (IOException e) {
            return new Finding(Status.INFO, "names of both kinds", "cannot read /dev/shm: " + e.getMessage());
        }
        if (both.isEmpty()) {
            return new Finding(Status.OK, "names of both kinds", "no name is both a standard and a crash-safe semaphore");
        }
        both.sort(null);
        return new Finding(Status.WARN, "names of both kinds", Text.printable(String.join(", ", both))
                + ": each is two unrelated semaphores, standard and crash-safe; commands without --crash-safe use"
                + " the standard one. Remove the one not wanted with 'namedsem unlink NAME [--crash-safe]'");
    }

    private Optional<String> mountType(String mountPoint) {
        try {
            for (String line : Files.readAllLines(path("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[1].equals(mountPoint)) {
                    return Optional.of(f[2]);
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return Optional.empty();
    }

    private Optional<String> link(String absolute) {
        try {
            return Optional.of(Files.readSymbolicLink(path(absolute)).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private Optional<String> statusField(String field) {
        try {
            for (String line : Files.readAllLines(path("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Optional.of(line.substring(field.length() + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return Optional.empty();
    }

    /** A key's last value in the [Login] section of a logind.conf-style file. */
    static Optional<String> loginSetting(Path file, String key) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException | RuntimeException absent) {
            return Optional.empty();
        }
        String section = "";
        Optional<String> value = Optional.empty();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
            } else if (section.equals("Login") && line.contains("=")
                    && line.substring(0, line.indexOf('=')).strip().equals(key)) {
                value = Optional.of(line.substring(line.indexOf('=') + 1).strip());
            }
        }
        return value;
    }

    private static String bytes(long n) {
        return n >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
    }
}
