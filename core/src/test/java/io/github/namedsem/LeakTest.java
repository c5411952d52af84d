package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static long semaphoreMappings() throws IOException {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.filter(line -> line.contains("/dev/shm/sem.")).count();
        }
    }

    @Test
    void tenThousandOpenAndCloseCyclesLeaveNothingBehind() throws Exception {
        String name = names.next("leak");
        try (var creator = NamedSemaphore.create(name, 1)) {
            // Warm up once so that lazily loaded classes and their files do not count.
            NamedSemaphore.open(name).close();
            long fdsBefore = openFds();
            long mapsBefore = semaphoreMappings();
            for (int i = 0; i < 10_000; i++) {
                try (var sem = NamedSemaphore.open(name)) {
                    assertThat(sem.tryAcquire()).isTrue();
                    sem.release();
                }
            }
            assertThat(openFds()).isEqualTo(fdsBefore);
            assertThat(semaphoreMappings()).isEqualTo(mapsBefore);
            for (int i = 0; i < 2_000; i++) {
                NamedSemaphore.openOrCreate(name, 1, 1).close();
            }
            assertThat(openFds()).isEqualTo(fdsBefore);
            assertThat(semaphoreMappings()).isEqualTo(mapsBefore);
        }
    }

    @Test
    void createAndUnlinkCyclesLeaveNothingBehind() throws Exception {
        String name = names.next("leakcreate");
        NamedSemaphore.create(name, 1).close();
        NamedSemaphore.unlink(name);
        long fdsBefore = openFds();
        long mapsBefore = semaphoreMappings();
        for (int i = 0; i < 2_000; i++) {
            try (var sem = NamedSemaphore.create(name, 1)) {
                sem.unlink();
            }
        }
        assertThat(openFds()).isEqualTo(fdsBefore);
        assertThat(semaphoreMappings()).isEqualTo(mapsBefore);
    }
}
