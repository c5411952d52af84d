package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Modes and users: a peer JVM runs as {@code nobody} (through setpriv) against semaphores that
 * root created with various modes and umasks. Needs root to switch users, as CI has.
 */
@EnabledOnOs(OS.LINUX)
class PermissionsTest {
    private static Path classes;

    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @BeforeAll
    static void copyClassesWhereNobodyCanReadThem() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "switching to user nobody needs root");
        classes = Files.createTempDirectory("namedsem-perm");
        for (String key : List.of("namedsem.test.mainClasses", "namedsem.test.testClasses")) {
            Path from = Path.of(System.getProperty(key));
            try (Stream<Path> tree = Files.walk(from)) {
                for (Path p : (Iterable<Path>) tree::iterator) {
                    Path to = classes.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        try (Stream<Path> tree = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) tree::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    @AfterAll
    static void removeCopy() throws IOException {
        if (classes != null) {
            try (Stream<Path> tree = Files.walk(classes)) {
                tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Processes.Outcome asNobody(String... args) throws Exception {
        return Processes.runToEnd(Processes.jvmCommandWithClassPath(
                List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"), classes.toString(), args));
    }

    /** Creates the semaphore from a child JVM whose umask is {@code umask}. */
    private static void createWithUmask(String name, String mode, String umask) throws Exception {
        var outcome = Processes.runToEnd(Processes.jvmCommand(
                List.of("sh", "-c", "umask " + umask + " && exec \"$@\"", "sh"), "create", name, "1", mode));
        assertThat(outcome.out()).isEqualTo("created\n");
    }

    private static String modeOf(String name) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(ShmDir.fileOf(name)));
    }

    @Test
    void theDefaultMode0600KeepsOtherUsersOutAndChangesNothing() throws Exception {
        try (var sem = NamedSemaphore.create(names.next("private"), 1)) {
            var outcome = asNobody("wait", sem.name(), "100");
            assertThat(outcome.status()).isEqualTo(3);
            assertThat(outcome.out()).startsWith("SemaphoreAccessDeniedException: Access to semaphore /" + sem.name())
                    .contains("EACCES").contains("mode(0660)");
            assertThat(sem.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void mode0666WithUmask0LetsEveryoneIn() throws Exception {
        String name = names.next("public");
        createWithUmask(name, "666", "000");
        assertThat(modeOf(name)).isEqualTo("rw-rw-rw-");
        var outcome = asNobody("wait", name, "1000");
        assertThat(outcome.out()).isEqualTo("waiting\nacquired\n");
        try (var sem = NamedSemaphore.open(name)) {
            assertThat(sem.availablePermits()).as("nobody took the permit").isZero();
        }
    }

    @Test
    void theUmaskClearsBitsFromTheMode() throws Exception {
        String name = names.next("umask");
        createWithUmask(name, "666", "022");
        assertThat(modeOf(name)).as("0666 minus umask 022").isEqualTo("rw-r--r--");
        // Opening needs read and write, so read-only access is no access.
        assertThat(asNobody("wait", name, "100").out()).startsWith("SemaphoreAccessDeniedException");
    }

    @Test
    void mode0660AdmitsTheGroupButNotOthers() throws Exception {
        String name = names.next("group");
        createWithUmask(name, "660", "000");
        assertThat(modeOf(name)).isEqualTo("rw-rw----");
        assertThat(asNobody("wait", name, "100").out()).startsWith("SemaphoreAccessDeniedException");
        var asRootGroup = Processes.runToEnd(Processes.jvmCommandWithClassPath(
                List.of("setpriv", "--reuid=65534", "--regid=0", "--clear-groups"), classes.toString(), "wait", name, "1000"));
        assertThat(asRootGroup.out()).as("a member of the owning group").isEqualTo("waiting\nacquired\n");
    }

    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);

    /** The permission bits of the System V set under a crash-safe name, from /proc/sysvipc/sem. */
    private static String crashSafeMode(String name) throws IOException {
        int key = io.github.namedsem.internal.sysv.SysvKeys.keyOf(io.github.namedsem.internal.SemaphoreName.of(name));
        for (String line : Files.readAllLines(Path.of("/proc/sysvipc/sem"))) {
            String[] fields = line.trim().split("\\s+");
            if (fields[0].equals(Integer.toString(key))) {
                return String.format("%04o", Integer.parseInt(fields[2], 8) & 0777); // perms is octal there
            }
        }
        throw new AssertionError("no set for " + name);
    }

    @Test
    void aPrivateCrashSafeSemaphoreKeepsOtherUsersOutWithTheSameException() throws Exception {
        String name = names.nextCrashSafe("private-cs");
        try (var sem = NamedSemaphore.create(name, 1, CRASH_SAFE)) {
            var outcome = asNobody("crash-safe-wait", name, "100");
            assertThat(outcome.out()).isEqualTo("SemaphoreAccessDeniedException\n");
            var open = asNobody("crash-safe-open", name);
            assertThat(open.out()).startsWith("SemaphoreAccessDeniedException").contains("EACCES");
            assertThat(sem.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void theUmaskClearsBitsFromACrashSafeMode() throws Exception {
        String name = names.nextCrashSafe("umask-cs");
        var outcome = Processes.runToEnd(Processes.jvmCommand(
                List.of("sh", "-c", "umask 022 && exec \"$@\"", "sh"), "crash-safe-create", name, "1", "666"));
        assertThat(outcome.out()).isEqualTo("created\n");
        assertThat(crashSafeMode(name)).as("0666 minus umask 022").isEqualTo("0644");
        String shared = names.nextCrashSafe("umask0-cs");
        outcome = Processes.runToEnd(Processes.jvmCommand(
                List.of("sh", "-c", "umask 000 && exec \"$@\"", "sh"), "crash-safe-create", shared, "1", "666"));
        assertThat(outcome.out()).isEqualTo("created\n");
        assertThat(crashSafeMode(shared)).isEqualTo("0666");
        assertThat(asNobody("crash-safe-open", shared).out()).isEqualTo("opened\n");
    }

    @Test
    void aMarkerPlantedByAnotherUserIsAClearErrorForUsersWhoCannotReplaceIt() throws Exception {
        String name = names.nextCrashSafe("planted");
        Path marker = io.github.namedsem.internal.sysv.SysvKeys.marker(
                io.github.namedsem.internal.sysv.SysvKeys.keyOf(io.github.namedsem.internal.SemaphoreName.of(name)));
        var plant = Processes.runToEnd(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "sh", "-c", "printf squatter > " + marker));
        assertThat(plant.status()).isZero();
        try {
            var outcome = Processes.runToEnd(Processes.jvmCommandWithClassPath(
                    List.of("setpriv", "--reuid=65533", "--regid=65533", "--clear-groups"), classes.toString(),
                    "crash-safe-create", name, "1", "600"));
            assertThat(outcome.out()).startsWith("NamedSemaphoreException").contains(marker.toString())
                    .contains("squatter").contains("rm ");
        } finally {
            Files.deleteIfExists(marker);
        }
    }
}
