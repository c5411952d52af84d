package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Opening and closing many times leaves no file descriptors or mappings behind. */
@EnabledOnOs(OS.LINUX) // reads /proc/self
class LeakTest {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Mappings of this semaphore's file (also once unlinked: "... (deleted)"). */
    private static long semaphoreMappings(String name) throws IOException {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.filter(line -> line.contains("/dev/shm/sem." + name)).count();
        }
    }

    @Test
    void tenThousandOpenAndCloseCyclesLeaveNothingBehind() throws Exception {
        String name = names.next("leak");
        try (var _ = NamedSemaphore.create(name, 1)) {
            // Warm up once so that lazily loaded classes and their files do not count.
            NamedSemaphore.open(name).close();
            long fdsBefore = openFds();
            long mapsBefore = semaphoreMappings(name);
            for (int i = 0; i < 10_000; i++) {
                try (var sem = NamedSemaphore.open(name)) {
                    assertThat(sem.tryAcquire()).isTrue();
                    sem.release();
                }
            }
            assertThat(openFds()).isEqualTo(fdsBefore);
            assertThat(semaphoreMappings(name)).isEqualTo(mapsBefore);
            for (int i = 0; i < 2_000; i++) {
                NamedSemaphore.openOrCreate(name, 1, 1).close();
            }
            assertThat(openFds()).isEqualTo(fdsBefore);
            assertThat(semaphoreMappings(name)).isEqualTo(mapsBefore);
        }
    }

    @Test
    void createAndUnlinkCyclesLeaveNothingBehind() throws Exception {
        String name = names.next("leakcreate");
        NamedSemaphore.create(name, 1).close();
        NamedSemaphore.unlink(name);
        long fdsBefore = openFds();
        for (int i = 0; i < 2_000; i++) {
            try (var sem = NamedSemaphore.create(name, 1)) {
                sem.unlink();
            }
        }
        assertThat(openFds()).isEqualTo(fdsBefore);
        // Unused mappings linger for a moment before they are unmapped in a batch (so that a
        // close() does not pay for the unmapping, and a reopen can reuse it), then all go.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (semaphoreMappings(name) != 0 && System.nanoTime() - giveUp < 0) {
            Thread.sleep(50);
        }
        assertThat(semaphoreMappings(name)).as("mappings of the 2,000 unlinked files").isZero();
    }
}
