package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The contract for the standard kind: POSIX {@code sem_open} on Linux, semaphore objects on Windows. */
class StandardKindTest extends SemaphoreContract {
    private static final boolean WINDOWS = OS.WINDOWS.isCurrentOs();

    @Override
    public SemaphoreOptions options() {
        return SemaphoreOptions.defaults().kind(SemaphoreKind.STANDARD);
    }

    @Override
    String unavailableBecause() {
        return null; // every supported platform has it
    }

    @Override
    public boolean releaseNeedsTheAcquiringProcess() {
        return false;
    }

    @Override
    public boolean maximumBindsEveryHandle() {
        return WINDOWS; // POSIX records no maximum; each handle checks its own
    }

    @Override
    public boolean openKnowsTheMaximum() {
        return WINDOWS;
    }

    @Override
    public boolean unlinkKeepsOpenHandlesWorking() {
        return true;
    }

    @Override
    public boolean previousCountIsExact() {
        return WINDOWS; // ReleaseSemaphore reports it; POSIX has only sem_getvalue before sem_post
    }

    @Override
    public int countLimit() {
        return Integer.MAX_VALUE; // SEM_VALUE_MAX on Linux, LONG_MAX on Windows
    }

    @Override
    public String nameInMessages(String name) {
        return WINDOWS ? name : "/" + name;
    }

    @Override
    public List<String> noSuchSemaphoreMessageSays(String name) {
        return List.of(nameInMessages(name), WINDOWS ? "ERROR_FILE_NOT_FOUND" : "ENOENT",
                "NamedSemaphore.create(\"" + name + "\"");
    }

    // ------------------------------------------------- what only this kind shows

    @Test
    @EnabledOnOs(OS.LINUX) // reads /proc/self/maps
    void aHandleThatIsNeverClosedIsClosedWhenCollected() throws Exception {
        String name = name("cleaner");
        create(name, 1).close();
        // Counted by inode: a mapping shows the path it was made under, and the creator's
        // (which namedsem's own mapping may still share for a moment) shows the temporary name.
        long inode = (Long) Files.getAttribute(Path.of("/dev/shm/sem." + name), "unix:ino");
        open(name); // dropped unclosed on purpose
        long before = mappings(inode);
        // An unused mapping lingers for a second before it is unmapped (see SemMapping).
        for (int i = 0; i < 250 && mappings(inode) > 0; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(before).isEqualTo(1);
        assertThat(mappings(inode)).as("the handle was closed and the file unmapped").isZero();
    }

    private static long mappings(long inode) throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 6 && f[5].startsWith("/dev/shm/sem."))
                    .filter(f -> Long.parseLong(f[4]) == inode).count();
        }
    }
}
