package io.github.namedsem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.OS;

/** Looks at the semaphore namespace on Linux: glibc keeps /NAME as /dev/shm/sem.NAME. */
final class ShmDir {
    static final Path DIR = Path.of("/dev/shm");

    private ShmDir() {}

    static Path fileOf(String portableName) {
        return DIR.resolve("sem." + portableName);
    }

    /**
     * Every entry of /dev/shm, so a test can see that nothing else appeared; empty on Windows,
     * including the emulated Windows, whose semaphores never touch /dev/shm (while other
     * people's tests on this machine do).
     */
    static Set<String> entries() {
        if (OS.WINDOWS.isCurrentOs() || !Files.isDirectory(DIR)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
