package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What namedsem finds under a name in {@code /dev/shm} is untrusted: files planted by any user
 * (empty, short, symbolic links, FIFOs, impossible contents) are refused with a
 * {@link SemaphoreCorruptedException} that names the file, its size and owner and what to do,
 * and leave no descriptor or mapping behind; owners are exposed and foreign ones refusable.
 * Runs both with namedsem's own mapping and with the C library fallback.
 */
@EnabledOnOs(OS.LINUX)
class SemaphoreFilesTest {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    private static SemaphoreOptions anyMax() {
        return SemaphoreOptions.defaults();
    }

    /** A planted file of {@code bytes}, which the test creates itself. */
    private Path plant(String name, byte[] bytes) throws IOException {
        Path file = ShmDir.fileOf(name);
        Files.write(file, bytes);
        return file;
    }

    private static byte[] semT(long word, int privateFlag) {
        return ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putLong(0, word).putInt(8, privateFlag).array();
    }

    /** Nothing of this process refers to the file: no descriptor, no mapping. */
    private static void assertNothingLeaked(Path file) throws IOException {
        assertThat(Files.readString(Path.of("/proc/self/maps"))).as("mappings").doesNotContain(file.toString());
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            assertThat(fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    return "";
                }
            })).as("open descriptors").doesNotContain(file.toString());
        }
    }

    @Test
    void anEmptyPlantedFileIsRefusedClearlyAndNothingLeaks() throws IOException {
        String name = names.next("empty");
        Path file = plant(name, new byte[0]);
        for (int round = 0; round < 3; round++) { // a leak per attempt would show in the maps
            assertThatThrownBy(() -> NamedSemaphore.open(name))
                    .isInstanceOf(SemaphoreCorruptedException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("0 bytes")
                    .hasMessageContaining("uid").hasMessageContaining("unlink");
            assertThatThrownBy(() -> NamedSemaphore.openOrCreate(name, 1, 1))
                    .isInstanceOf(SemaphoreCorruptedException.class);
        }
        assertNothingLeaked(file);
        assertThat(Files.size(file)).as("left as it was").isZero();
    }

    @Test
    void aFileShorterThanASemaphoreIsRefused() throws IOException {
        String name = names.next("short");
        Path file = plant(name, new byte[16]);
        assertThatThrownBy(() -> NamedSemaphore.open(name)).isInstanceOf(SemaphoreCorruptedException.class)
                .hasMessageContaining("16 bytes").hasMessageContaining("32");
        assertNothingLeaked(file);
    }

    @Test
    void aSymbolicLinkIsNotFollowed() throws IOException {
        String target = names.next("target");
        try (var real = NamedSemaphore.create(target, 1)) {
            String name = names.next("link");
            Files.createSymbolicLink(ShmDir.fileOf(name), ShmDir.fileOf(target));
            try {
                assertThatThrownBy(() -> NamedSemaphore.open(name)).isInstanceOf(SemaphoreCorruptedException.class)
                        .hasMessageContaining("symbolic link");
                assertThat(real.availablePermits()).isEqualTo(1);
            } finally {
                Files.deleteIfExists(ShmDir.fileOf(name));
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFifoIsRefusedWithoutHanging() throws Exception {
        String name = names.next("fifo");
        Path file = ShmDir.fileOf(name);
        assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor()).isZero();
        try {
            assertThatThrownBy(() -> NamedSemaphore.open(name)).isInstanceOf(SemaphoreCorruptedException.class)
                    .hasMessageContaining("regular file");
            assertNothingLeaked(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void countsNoGlibcWritesAreRefusedBeforeAnythingActsOnThem() throws IOException {
        String tooHigh = names.next("toohigh");
        Path file = plant(tooHigh, semT(0x8000_0001L, 128));
        assertThatThrownBy(() -> NamedSemaphore.open(tooHigh)).isInstanceOf(SemaphoreCorruptedException.class)
                .hasMessageContaining("2147483649");
        assertThat(Files.readAllBytes(file)).as("not acted on").isEqualTo(semT(0x8000_0001L, 128));

        // glibc passes the private field to every futex call; other values make it abort.
        String badFlag = names.next("badflag");
        plant(badFlag, semT(1, 7));
        assertThatThrownBy(() -> NamedSemaphore.open(badFlag)).isInstanceOf(SemaphoreCorruptedException.class)
                .hasMessageContaining("private");
        assertNothingLeaked(file);
    }

    @Test
    void theOwnerIsTheFilesOwner() throws IOException {
        try (var sem = NamedSemaphore.create(names.next("owner"), 1)) {
            int uid = (Integer) Files.getAttribute(ShmDir.fileOf(sem.name()), "unix:uid", LinkOption.NOFOLLOW_LINKS);
            assertThat(sem.ownerUid()).hasValue(uid);
            try (var again = NamedSemaphore.open(sem.name(), anyMax().refuseForeignOwner(true))) {
                assertThat(again.ownerUid()).hasValue(uid);
            }
        }
    }

    @Test
    void aNameSquattedByAnotherUserIsRefusedOnRequest() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "giving a file to another user needs root");
        String name = names.next("squat");
        NamedSemaphore.create(name, 1, 1, anyMax().mode(0666)).close();
        Path file = ShmDir.fileOf(name);
        Files.setAttribute(file, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS); // as if nobody made it first
        var refusing = anyMax().refuseForeignOwner(true);
        assertThatThrownBy(() -> NamedSemaphore.openOrCreate(name, 1, 1, refusing))
                .isInstanceOf(SemaphoreAccessDeniedException.class).hasMessageContaining("uid 65534")
                .hasMessageContaining("squatting");
        assertThatThrownBy(() -> NamedSemaphore.open(name, refusing)).isInstanceOf(SemaphoreAccessDeniedException.class);
        assertNothingLeaked(file);
        try (var adopted = NamedSemaphore.openOrCreate(name, 1, 1)) {
            assertThat(adopted.created()).isFalse();
            assertThat(adopted.ownerUid()).as("the default still adopts it, but shows whose it is").hasValue(65534);
            assertThat(adopted.availablePermits()).isEqualTo(1);
        }
    }
}
