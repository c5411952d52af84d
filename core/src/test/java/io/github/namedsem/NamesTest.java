package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The portable naming rule, and where names and modes end up in the operating system. */
class NamesTest {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "", "/", "//", "a/b", "/a/b", "a/", "../../etc/passwd", "/../x", "..", ".", "/..", "/.",
        "a\0b", "\0", "a\\b", "\ud800", "x\udc00y", "bad\ud83d"
    })
    void namesTheOsWouldMisreadAreRefusedAndNothingAppears(String bad) {
        Set<String> before = ShmDir.entries();
        assertThatThrownBy(() -> NamedSemaphore.create(bad, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid semaphore name");
        assertThatThrownBy(() -> NamedSemaphore.open(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NamedSemaphore.unlink(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ShmDir.entries()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Global\\jobs", "Local\\jobs"})
    @EnabledOnOs(OS.LINUX)
    void windowsNamespacesAreRefusedOnLinuxWithTheReason(String windowsOnly) {
        assertThatThrownBy(() -> NamedSemaphore.create(windowsOnly, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Windows-only");
    }

    @Test
    void tooLongNamesAreRefusedWithTheLimit() {
        String tooLong = "x".repeat(252);
        assertThatThrownBy(() -> NamedSemaphore.create(tooLong, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("251");
        String tooLongInUtf8 = "é".repeat(126); // 252 bytes in 126 chars
        assertThatThrownBy(() -> NamedSemaphore.create(tooLongInUtf8, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("252 bytes");
        assertThatThrownBy(() -> NamedSemaphore.create(null, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aNameOfExactlyTheLimitWorks() {
        String prefix = names.next("long");
        String name = names.register(prefix + "-" + "y".repeat(251 - prefix.length() - 1));
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(251);
        try (var sem = NamedSemaphore.create(name, 1)) {
            assertThat(Files.exists(ShmDir.fileOf(name))).isTrue();
            assertThat(sem.tryAcquire()).isTrue();
        }
    }

    @Test
    void leadingSlashIsOptionalAndBothSpellingsAreOneSemaphore() {
        String name = names.next("slash");
        try (var plain = NamedSemaphore.create(name, 2); var slashed = NamedSemaphore.open("/" + name)) {
            assertThat(plain.name()).isEqualTo(name);
            assertThat(slashed.name()).isEqualTo(name);
            assertThat(slashed.tryAcquire()).isTrue();
            assertThat(plain.availablePermits()).isEqualTo(1);
            if (OS.LINUX.isCurrentOs()) {
                assertThat(slashed.osName()).isEqualTo("/" + name);
                assertThat(Files.exists(ShmDir.fileOf(name))).isTrue();
            } else {
                assertThat(slashed.osName()).isEqualTo(name);
            }
        }
    }

    @Test
    void nonAsciiNamesWork() {
        String name = names.next("ünï-çødé-日本-😀");
        try (var sem = NamedSemaphore.create(name, 1); var other = NamedSemaphore.open(name)) {
            assertThat(sem.name()).isEqualTo(name);
            assertThat(other.tryAcquire()).isTrue();
            assertThat(sem.availablePermits()).isZero();
            if (OS.LINUX.isCurrentOs()) {
                assertThat(ShmDir.entries()).as("UTF-8 in the OS").contains("sem." + name);
            }
        }
    }

    @Test
    void namesAreCaseSensitive() {
        String name = names.next("Case");
        try (var _ = NamedSemaphore.create(name, 1)) {
            assertThatThrownBy(() -> NamedSemaphore.open(name.toLowerCase()))
                    .isInstanceOf(NoSuchSemaphoreException.class);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void newSemaphoresAreOwnerOnlyByDefault() throws Exception {
        String name = names.next("mode");
        try (var _ = NamedSemaphore.create(name, 1)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ShmDir.fileOf(name))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void anExplicitModeIsUsedMinusTheUmask() throws Exception {
        String name = names.next("mode640");
        try (var _ = NamedSemaphore.create(name, 0, 1, SemaphoreOptions.defaults().mode(0640))) {
            // 0640 survives any common umask (022, 002, 027 all keep owner rw and group r).
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ShmDir.fileOf(name))))
                    .isEqualTo("rw-r-----");
        }
    }

    @Test
    void invalidModesAreRefused() {
        assertThatThrownBy(() -> SemaphoreOptions.defaults().mode(01000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("01000");
        assertThatThrownBy(() -> SemaphoreOptions.defaults().mode(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SemaphoreOptions.defaults().mode(0660).mode()).isEqualTo(0660);
        assertThat(SemaphoreOptions.defaults().mode(0660)).isEqualTo(SemaphoreOptions.defaults().mode(0660));
    }
}
