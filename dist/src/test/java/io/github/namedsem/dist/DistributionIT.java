package io.github.namedsem.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archives as a user gets them: unpacked into a directory outside the checkout, run through
 * a symlink on a PATH without the checkout, with only JAVA_HOME pointing at a JDK 22+.
 */
@EnabledOnOs(OS.LINUX)
class DistributionIT {
    private static final String VERSION = System.getProperty("namedsem.dist.version");
    private static final String BASE = System.getProperty("namedsem.dist.archiveBase");

    @TempDir
    static Path unpacked;
    static Path home;
    static Commands shell;

    @BeforeAll
    static void unpackTheTarball() throws Exception {
        Path tarball = Path.of(BASE + ".tar.gz");
        assertThat(tarball).exists();
        var env = Map.of("JAVA_HOME", System.getProperty("java.home"), "PATH", "/usr/bin:/bin");
        shell = new Commands(unpacked, env);
        shell.ok(List.of("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()));
        home = unpacked.resolve("namedsem-" + VERSION);
    }

    @Test
    void holdsTheLauncherTheJarsTheCompletionScriptAndTheManPage() throws Exception {
        assertThat(home.resolve("bin/namedsem")).isExecutable();
        assertThat(home.resolve("bin/find-jdk")).isExecutable();
        assertThat(home.resolve("lib/namedsem.jar")).isRegularFile();
        assertThat(home.resolve("lib/namedsem-cli.jar")).isRegularFile();
        assertThat(home.resolve("lib/picocli.jar")).isRegularFile();
        assertThat(Files.readString(home.resolve("completion/namedsem"))).contains("complete -F");
        assertThat(Files.readString(home.resolve("man/man1/namedsem.1"))).contains(".TH");
        assertThat(home.resolve("conf/jvm.options")).isRegularFile();
    }

    @Test
    void theZipHoldsTheSameFilesAsTheTarball() throws Exception {
        List<String> tarEntries = new ArrayList<>(shell.ok(List.of("tar", "-tzf", BASE + ".tar.gz"))
                .out().lines().filter(e -> !e.endsWith("/")).toList());
        List<String> zipEntries;
        try (var zip = new ZipFile(BASE + ".zip")) {
            zipEntries = new ArrayList<>(zip.stream().map(e -> e.getName()).filter(e -> !e.endsWith("/")).toList());
        }
        Collections.sort(tarEntries);
        Collections.sort(zipEntries);
        assertThat(zipEntries).isNotEmpty().isEqualTo(tarEntries);
    }

    @Test
    void printsItsVersionThroughASymlinkFromElsewhere() throws Exception {
        Path onPath = Files.createDirectories(unpacked.resolve("usr-local-bin")).resolve("namedsem");
        Files.createSymbolicLink(onPath, home.resolve("bin/namedsem"));
        var r = shell.ok(List.of(onPath.toString(), "--version"));
        assertThat(r.out()).startsWith("namedsem " + VERSION);
    }

    @Test
    void createsInspectsAndUnlinksASemaphore() throws Exception {
        String name = "nsdist-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        String namedsem = home.resolve("bin/namedsem").toString();
        try {
            shell.ok(List.of(namedsem, "create", name, "--permits", "3"));
            assertThat(shell.ok(List.of(namedsem, "info", name, "--json")).out())
                    .contains("\"name\":\"" + name + "\"").contains("\"available\":3");
            shell.ok(List.of(namedsem, "unlink", name));
            var gone = shell.run(List.of(namedsem, "info", name));
            assertThat(gone.status()).as(gone.all()).isEqualTo(1);
            assertThat(gone.err()).contains("no semaphore named");
        } finally {
            Files.deleteIfExists(Path.of("/dev/shm/sem." + name)); // what sem_unlink does on Linux
        }
    }
}
