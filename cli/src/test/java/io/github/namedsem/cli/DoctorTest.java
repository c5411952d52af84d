package io.github.namedsem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.namedsem.cli.Doctor.Finding;
import io.github.namedsem.cli.Doctor.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Each doctor check against a machine built in a temporary directory: /proc, /etc and /dev/shm as files. */
@EnabledOnOs(OS.LINUX)
class DoctorTest {
    @TempDir
    Path root;

    private Doctor doctor;

    @BeforeEach
    void machine() throws IOException {
        doctor = new Doctor(root);
        Files.createDirectories(root.resolve("dev/shm"));
        Files.createDirectories(root.resolve("proc/self/ns"));
        Files.createDirectories(root.resolve("proc/1/ns"));
        Files.createDirectories(root.resolve("proc/sys/vm"));
    }

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void shmMissingFailsAndAMountedOneSaysItsFreeSpace() throws IOException {
        write("proc/self/mounts", "tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0\n");
        Finding mounted = doctor.shm();
        assertThat(mounted.status()).isEqualTo(Status.OK);
        assertThat(mounted.text()).startsWith("mounted (tmpfs), ").containsPattern("[0-9.]+ [MG]iB free");

        write("proc/self/mounts", "/dev/sda1 / ext4 rw 0 0\n");
        assertThat(doctor.shm().status()).isEqualTo(Status.WARN);
        assertThat(doctor.shm().text()).startsWith("not a mount of its own");

        Files.delete(root.resolve("dev/shm"));
        assertThat(doctor.shm().status()).isEqualTo(Status.FAIL);
        assertThat(doctor.shm().text()).startsWith("missing");
    }

    @Test
    void aSeparateIpcNamespaceIsExplainedAndAnUnreadableOneIsNotGuessed() throws IOException {
        Files.createSymbolicLink(root.resolve("proc/self/ns/ipc"), Path.of("ipc:[4026532200]"));
        assertThat(doctor.ipcNamespace().status()).isEqualTo(Status.INFO);
        assertThat(doctor.ipcNamespace().text()).contains("cannot be told");

        Files.createSymbolicLink(root.resolve("proc/1/ns/ipc"), Path.of("ipc:[4026531839]"));
        Finding container = doctor.ipcNamespace();
        assertThat(container.status()).isEqualTo(Status.WARN);
        assertThat(container.text()).contains("its own IPC namespace (ipc:[4026532200]").contains("--ipc=host");

        Files.delete(root.resolve("proc/1/ns/ipc"));
        Files.createSymbolicLink(root.resolve("proc/1/ns/ipc"), Path.of("ipc:[4026532200]"));
        assertThat(doctor.ipcNamespace().status()).isEqualTo(Status.OK);
    }

    @Test
    void aUmaskThatTakesTheGroupsBitsIsAWarning() throws IOException {
        write("proc/self/status", "Name:\tjava\nUmask:\t0022\nState:\tR\n");
        assertThat(doctor.umask().status()).isEqualTo(Status.WARN);
        assertThat(doctor.umask().text()).startsWith("0022: a semaphore created with --mode 0660 gets 0640");
        write("proc/self/status", "Umask:\t0002\n");
        assertThat(doctor.umask().status()).isEqualTo(Status.OK);
        assertThat(doctor.umask().text()).contains("gets 0660");
    }

    @Test
    void removeIpcFollowsLogindsOwnOrderOfFiles() throws IOException {
        assertThat(doctor.removeIpc().status()).as("no systemd").isEqualTo(Status.OK);

        Files.createDirectories(root.resolve("run/systemd/system"));
        assertThat(doctor.removeIpc().status()).isEqualTo(Status.WARN);
        assertThat(doctor.removeIpc().text()).startsWith("yes (systemd's built-in default)");

        write("etc/systemd/logind.conf", "[Login]\n#RemoveIPC=yes\nRemoveIPC=no\n");
        assertThat(doctor.removeIpc().status()).isEqualTo(Status.OK);
        assertThat(doctor.removeIpc().text()).isEqualTo("no (/etc/systemd/logind.conf): logging out leaves semaphores alone");

        write("etc/systemd/logind.conf.d/10-site.conf", "[Other]\nRemoveIPC=no\n[Login]\nRemoveIPC = yes\n");
        assertThat(doctor.removeIpc().status()).as("a drop-in overrides the main file").isEqualTo(Status.WARN);
        assertThat(doctor.removeIpc().text()).startsWith("yes (/etc/systemd/logind.conf.d/10-site.conf)");

        write("run/systemd/logind.conf.d/20-later.conf", "[Login]\nRemoveIPC=false\n");
        assertThat(doctor.removeIpc().status()).as("drop-ins apply in name order across directories").isEqualTo(Status.OK);
    }

    @Test
    void maxMapCountIsReportedAndALowOneWarned() throws IOException {
        write("proc/sys/vm/max_map_count", "65530\n");
        assertThat(doctor.maxMapCount().status()).isEqualTo(Status.OK);
        assertThat(doctor.maxMapCount().text()).startsWith("65530: ");
        write("proc/sys/vm/max_map_count", "1000\n");
        assertThat(doctor.maxMapCount().status()).isEqualTo(Status.WARN);
    }

    @Test
    void temporaryFilesOfKilledCreatorsAreFoundButFreshOnesAreNot() throws IOException {
        write("dev/shm/.namedsem-sysv-123.tmp", "jobs");
        assertThat(doctor.leftoverTemporaryFiles().status()).as("a creator may be using it now").isEqualTo(Status.OK);
        Files.setLastModifiedTime(root.resolve("dev/shm/.namedsem-sysv-123.tmp"),
                FileTime.from(Instant.now().minus(Doctor.STALE).minusSeconds(5)));
        Finding stale = doctor.leftoverTemporaryFiles();
        assertThat(stale.status()).isEqualTo(Status.WARN);
        assertThat(stale.text()).startsWith("1 leftover file(s)").contains(".namedsem-sysv-123.tmp");
    }

    @Test
    void aNameOfBothKindsIsFound() throws IOException {
        write("dev/shm/namedsem-sysv-0badc0de", "jobs");
        write("dev/shm/namedsem-sysv-00000001", "\u00ff\u0000junk");
        assertThat(doctor.bothKinds().status()).isEqualTo(Status.OK);
        write("dev/shm/sem.jobs", "x".repeat(32));
        assertThat(doctor.bothKinds().status()).isEqualTo(Status.WARN);
        assertThat(doctor.bothKinds().text()).startsWith("jobs: each is two unrelated semaphores");
    }
}
