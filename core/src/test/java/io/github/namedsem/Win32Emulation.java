package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The Win32 emulation ({@code src/test/c/win32_emulation.c}) that lets the Windows backend run
 * on Linux: a JVM started with {@code -Dos.name=Windows} and {@code LD_LIBRARY_PATH} pointing at
 * the directory holding the library, named {@code kernel32} and {@code ntdll} as the backend looks
 * them up. See CONTRIBUTING.md for what this proves and what it cannot.
 */
final class Win32Emulation {
    private Win32Emulation() {}

    /** Where the library keeps the named objects, beside itself (see win32_emulation.c). */
    static final String STATE_FILE = "win32-objects";

    /** Whether this JVM runs the Windows backend on an OS that is not Windows. */
    static boolean active() {
        return System.getProperty("os.name", "").startsWith("Windows") && File.separatorChar == '/';
    }

    /**
     * What a child JVM needs to be emulated too: the same {@code os.name}. ({@code LD_LIBRARY_PATH}
     * is inherited with the environment.)
     */
    static List<String> childJvmOptions() {
        return active() ? List.of("-Dos.name=" + System.getProperty("os.name")) : List.of();
    }

    /**
     * Builds the library into the directory the surefire execution named, before anything loads
     * kernel32. A symbolic link makes ntdll the same file, so dlopen loads it once and
     * NtQuerySemaphore sees the handles of CreateSemaphoreExW.
     */
    static synchronized void build() throws IOException {
        assertThat(active()).as("the emulated suite runs with -Dos.name=Windows on Linux:"
                + " ./mvnw -pl core verify -Pwindows-emulation").isTrue();
        Path dir = Path.of(Processes.property("namedsem.test.win32EmulationDir"));
        assertThat(System.getenv("LD_LIBRARY_PATH")).as("LD_LIBRARY_PATH must name %s, where dlopen looks for"
                + " kernel32 (the windows-emulation surefire execution sets it)", dir).contains(dir.toString());
        Path built = Processes.compile("gcc", "c/win32_emulation.c", dir.resolve("kernel32.building"),
                "apt-get install gcc libc6-dev", "-shared", "-fPIC");
        Files.move(built, dir.resolve("kernel32"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // A fresh namespace per run: the table's layout may have changed with the source.
        Files.deleteIfExists(dir.resolve(STATE_FILE));
        Path ntdll = dir.resolve("ntdll");
        Files.deleteIfExists(ntdll);
        Files.createSymbolicLink(ntdll, Path.of("kernel32"));
    }
}
