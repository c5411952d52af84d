package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Semaphore files damaged by another process while handles use them: truncated during
 * {@code tryAcquire}, {@code release}, {@code availablePermits} and blocked {@code acquire}
 * calls, overwritten with impossible words, replaced. The JVM keeps running and the handle says
 * what happened. The C library fallback cannot promise this (it crashes in {@code sem_trywait}),
 * which the negative control shows, proving that the truncation test can fail.
 */
@EnabledOnOs(OS.LINUX)
class FileDamageTest {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    private static void truncate(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
    }

    /** Runs the damage-hammer child; truncates both files once it is warm; returns its output. */
    private List<String> hammerAndTruncate(boolean libcOnly, Path errorDir) throws Exception {
        String busy = names.next("busy");
        String idle = names.next("idle");
        NamedSemaphore.create(busy, 1).close();
        NamedSemaphore.create(idle, 0, 1).close();
        List<String> command = new ArrayList<>(Processes.jvmCommand(List.of(), "damage-hammer", busy, idle));
        command.remove("-XX:TieredStopAtLevel=1"); // let C2 compile the loops too
        command.add(1, "-XX:ErrorFile=" + errorDir.resolve("hs_err_%p.log"));
        command.add(1, "-XX:-CreateCoredumpOnCrash");
        if (libcOnly) {
            command.add(1, "-Dnamedsem.internal.libcOnly=true");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var peer = new Processes.Peer(process)) {
            String line;
            while (!(line = peer.readLine()).equals("ready")) {
                assertThat(line).as("child start-up output").doesNotContain("Exception");
            }
            truncate(ShmDir.fileOf(busy));
            truncate(ShmDir.fileOf(idle));
            peer.send("go");
            List<String> out = new ArrayList<>();
            for (String l; (l = peer.readLineOrNull()) != null; ) {
                out.add(l);
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            out.add("exit " + process.exitValue());
            return out;
        }
    }

    @Test
    void aFileTruncatedUnderEveryOperationLeavesTheJvmRunningAndTheHandleSaysSo() throws Exception {
        assumeFalse(Boolean.getBoolean("namedsem.internal.libcOnly"), "the C library fallback crashes here");
        Path errorDir = Files.createTempDirectory("namedsem-damage");
        try {
            List<String> out = hammerAndTruncate(false, errorDir);
            assertThat(out).containsSubsequence(
                    "acquire (platform thread): SemaphoreCorruptedException",
                    "acquire (virtual thread): SemaphoreCorruptedException",
                    "after: availablePermits: SemaphoreCorruptedException",
                    "after: release: SemaphoreCorruptedException",
                    "after: tryAcquire: SemaphoreCorruptedException",
                    "availablePermits: SemaphoreCorruptedException",
                    "tryAcquire+release: SemaphoreCorruptedException",
                    "alive", "exit 0");
            assertThat(hsErrFiles(errorDir)).isEmpty();
        } finally {
            deleteTree(errorDir);
        }
    }

    @Test
    void negativeControlTheCLibraryFallbackDiesOfTheSameTruncation() throws Exception {
        Path errorDir = Files.createTempDirectory("namedsem-damage");
        try {
            List<String> out = hammerAndTruncate(true, errorDir);
            assertThat(out).as("the fallback JVM crashed").doesNotContain("alive").doesNotContain("exit 0");
            assertThat(hsErrFiles(errorDir)).as("a JVM crash report").isNotEmpty();
        } finally {
            deleteTree(errorDir);
        }
    }

    @Test
    void impossibleWordsWrittenAfterOpenAreReportedAndNotActedOn() throws Exception {
        assumeFalse(Boolean.getBoolean("namedsem.internal.libcOnly"), "sem_trywait acts on any word");
        try (var sem = NamedSemaphore.create(names.next("overwritten"), 1)) {
            Path file = ShmDir.fileOf(sem.name());
            byte[] garbage = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 0xFFFF_FFFFL).array();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(garbage), 0);
            }
            assertThatThrownBy(sem::tryAcquire).isInstanceOf(SemaphoreCorruptedException.class)
                    .hasMessageContaining("4294967295").hasMessageContaining(sem.name());
            assertThatThrownBy(sem::release).isInstanceOf(SemaphoreCorruptedException.class);
            assertThatThrownBy(sem::availablePermits).isInstanceOf(SemaphoreCorruptedException.class);
            assertThatThrownBy(() -> sem.tryAcquire(java.time.Duration.ofMillis(50)))
                    .isInstanceOf(SemaphoreCorruptedException.class);
            assertThat(Files.readAllBytes(file)).as("nothing was done to it").isEqualTo(garbage);
        }
    }

    @Test
    void aFileReplacedUnderAHandleLeavesTheHandleOnTheOriginalAsGlibcDoes() throws Exception {
        try (var original = NamedSemaphore.create(names.next("replaced"), 1)) {
            String other = names.next("replacement");
            NamedSemaphore.create(other, 2).close();
            Files.move(ShmDir.fileOf(other), ShmDir.fileOf(original.name()), StandardCopyOption.REPLACE_EXISTING);
            assertThat(original.tryAcquire()).isTrue();
            assertThat(original.availablePermits()).isZero();
            assertThat(original.release()).isZero();
            try (var reopened = NamedSemaphore.open(original.name())) {
                assertThat(reopened.availablePermits()).as("a new open finds the replacement").isEqualTo(2);
            }
        }
    }

    private static List<Path> hsErrFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
