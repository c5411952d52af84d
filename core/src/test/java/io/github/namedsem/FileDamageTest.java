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

    /** Runs the damage-hammer child; truncates both files once it is warm; says how it ended. */
    private ChildJvm.Ending hammerAndTruncate(boolean libcOnly) throws Exception {
        String busy = names.next("busy");
        String idle = names.next("idle");
        NamedSemaphore.create(busy, 1).close();
        NamedSemaphore.create(idle, 0, 1).close();
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=4")); // let C2 compile the loops too
        if (libcOnly) {
            options.add("-Dnamedsem.internal.libcOnly=true");
        }
        return ChildJvm.run(options, child -> {
            String line;
            while (!(line = child.readLine()).equals("ready")) {
                assertThat(line).as("child start-up output").doesNotContain("Exception");
            }
            truncate(ShmDir.fileOf(busy));
            truncate(ShmDir.fileOf(idle));
            child.send("go");
        }, "damage-hammer", busy, idle);
    }

    @Test
    void aFileTruncatedUnderEveryOperationLeavesTheJvmRunningAndTheHandleSaysSo() throws Exception {
        assumeFalse(Boolean.getBoolean("namedsem.internal.libcOnly"), "the C library fallback crashes here");
        ChildJvm.Ending ending = hammerAndTruncate(false);
        assertThat(ending.out()).containsSubsequence(
                "acquire (platform thread): SemaphoreCorruptedException",
                "acquire (virtual thread): SemaphoreCorruptedException",
                "after: availablePermits: SemaphoreCorruptedException",
                "after: release: SemaphoreCorruptedException",
                "after: tryAcquire: SemaphoreCorruptedException",
                "availablePermits: SemaphoreCorruptedException",
                "tryAcquire+release: SemaphoreCorruptedException");
        assertThat(ending.signsOfDeath("alive")).as("the child: %s", ending.out()).isEmpty();
    }

    @Test
    void negativeControlTheCLibraryFallbackDiesOfTheSameTruncation() throws Exception {
        ChildJvm.Ending ending = hammerAndTruncate(true);
        assertThat(ending.signsOfDeath("alive")).as("the fallback child: %s", ending.out()).isNotEmpty();
        assertThat(ending.crashReports()).as("a JVM crash report").isNotEmpty();
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
}
