package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.namedsem.SemaphoreHolder.State;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Holders recorded by real processes, checked against the real process table, and repaired. */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HoldersTest {
    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);

    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @Test
    void aRecordingHandleNamesThisProcessWhileItHoldsPermits() throws Exception {
        String name = names.next("holders-self");
        try (var plain = NamedSemaphore.create(name, 3);
             var recording = NamedSemaphore.open(name, SemaphoreOptions.defaults().recordHolders(true).holderCommand("nightly build"))) {
            plain.acquire();
            assertThat(plain.holders().holders()).as("a handle that does not record is not seen").isEmpty();
            recording.acquire();
            assertThat(recording.tryAcquire()).isTrue();
            HolderReport report = NamedSemaphore.holders(name, SemaphoreOptions.defaults());
            assertThat(report.holders()).singleElement().satisfies(h -> {
                assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(h.permits()).isEqualTo(2);
                assertThat(h.command()).isEqualTo("nightly build");
                assertThat(h.state()).isEqualTo(State.ALIVE);
                assertThat(h.trusted()).isTrue();
                assertThat(h.started()).isPresent();
            });
            assertThat(report.waiters()).as("POSIX semaphores do not report waiters").isEmpty();
            recording.release();
            assertThat(recording.holders().holders()).singleElement().extracting(SemaphoreHolder::permits).isEqualTo(1);
            recording.release();
            assertThat(recording.holders().holders()).isEmpty();
            assertThat(recording.releaseDeadHolders()).as("a live holder is never repaired").isEmpty();
            assertThat(recording.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void releaseDeadHoldersGivesBackTheKilledHoldersPermitsAndOnlyThose() throws Exception {
        String name = names.next("holders-repair");
        try (var sem = NamedSemaphore.create(name, 4);
             var killed = Processes.jvm("holder-hold", name, "STANDARD", "2", "killed job");
             var living = Processes.jvm("holder-hold", name, "STANDARD", "1", "living job")) {
            assertThat(killed.readLine()).isEqualTo("acquired");
            assertThat(living.readLine()).isEqualTo("acquired");
            sem.acquire(); // held by this process, unrecorded: never repaired
            assertThat(sem.availablePermits()).isZero();

            killed.process.destroyForcibly().waitFor();
            HolderReport report = sem.holders();
            assertThat(report.holders()).extracting(SemaphoreHolder::pid, SemaphoreHolder::permits, SemaphoreHolder::state)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(killed.process.pid(), 2, State.DEAD),
                            org.assertj.core.groups.Tuple.tuple(living.process.pid(), 1, State.ALIVE));
            assertThat(report.deadPermits()).isEqualTo(2);
            assertThat(report.deadHoldersReturned()).isFalse();

            assertThat(sem.releaseDeadHolders()).extracting(SemaphoreHolder::pid).containsExactly(killed.process.pid());
            assertThat(sem.availablePermits()).isEqualTo(2);
            assertThat(sem.releaseDeadHolders()).as("a second repair finds nothing").isEmpty();
            assertThat(sem.availablePermits()).isEqualTo(2);
            assertThat(sem.holders().holders()).extracting(SemaphoreHolder::pid).containsExactly(living.process.pid());
        }
    }

    /** Also: a record of a holder of an earlier semaphore of the same name is not this one's. */
    @Test
    void aRecordWhosePidWasReusedIsDeadAndJunkIsIgnored() throws Exception {
        String name = names.next("holders-forged");
        try (var sem = NamedSemaphore.create(name, 1)) {
            long pid = ProcessHandle.current().pid();
            String prefix = "namedsem-holder-s-" + fnv64(name) + "-";
            // This process's pid with another start time: a record left by an earlier process with the same pid.
            String identity = identity(name);
            Path reused = write(prefix + pid + "-1", "name-hex " + hex(name) + "\nsemaphore " + identity
                    + "\npermits 1\ncommand old\n");
            Path earlier = write(prefix + "4-4", "name-hex " + hex(name) + "\nsemaphore (dev=1,ino=1)\npermits 5\n");
            Path otherName = write(prefix + "1-1", "name-hex " + hex("other") + "\npermits 9\n");
            Path junk = write(prefix + "2-2", "\u0000\u0001garbage");
            Path link = Path.of("/dev/shm/" + prefix + "3-3");
            Files.createSymbolicLink(link, reused);
            try {
                assertThat(sem.holders().holders()).singleElement().satisfies(h -> {
                    assertThat(h.pid()).isEqualTo(pid);
                    assertThat(h.state()).isEqualTo(State.DEAD);
                    assertThat(h.command()).isEqualTo("old");
                });
                sem.acquire();
                assertThat(sem.releaseDeadHolders()).hasSize(1);
                assertThat(sem.availablePermits()).isEqualTo(1);
                assertThat(reused).doesNotExist();
            } finally {
                for (Path p : List.of(reused, earlier, otherName, junk, link)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void aRecordPlantedByAnotherUserIsShownButNeverRepaired() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "giving a file to user nobody needs root");
        String name = names.next("holders-planted");
        try (var sem = NamedSemaphore.create(name, 2)) {
            assertThat(sem.tryAcquire()).isTrue();
            Path planted = write("namedsem-holder-s-" + fnv64(name) + "-" + ProcessHandle.current().pid() + "-1",
                    "name-hex " + hex(name) + "\nsemaphore " + identity(name) + "\npermits 1\ncommand planted\n");
            try {
                var nobody = planted.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
                Files.setOwner(planted, nobody);
                assertThat(sem.holders().holders()).singleElement().satisfies(h -> {
                    assertThat(h.state()).isEqualTo(State.DEAD);
                    assertThat(h.trusted()).as("nobody owns neither this process nor the semaphore").isFalse();
                });
                assertThat(sem.releaseDeadHolders()).isEmpty();
                assertThat(sem.availablePermits()).as("a planted record adds no permit").isEqualTo(1);
                assertThat(planted).exists();
            } finally {
                Files.deleteIfExists(planted);
            }
        }
    }

    private static String identity(String name) throws java.io.IOException {
        return Files.readAttributes(Path.of("/dev/shm/sem." + name), java.nio.file.attribute.PosixFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey().toString().replace(' ', '_');
    }

    @Test
    void crashSafeHoldersAreVerifiedByTheKernelWhichReturnsTheirPermits() throws Exception {
        String name = names.nextCrashSafe("holders-cs");
        try (var sem = NamedSemaphore.create(name, 1, CRASH_SAFE);
             var holder = Processes.jvm("holder-hold", name, "CRASH_SAFE", "1", "crash-safe job")) {
            assertThat(holder.readLine()).isEqualTo("acquired");
            try (var waiter = Processes.jvm("crash-safe-wait", name, "60000")) { // started once the permit is held
                assertThat(waiter.readLine()).isEqualTo("waiting");
                waitForThePermit(sem, holder, waiter);
            }
        }
    }

    /** The kernel reports the waiter and the last operation; after kill -9 of the holder the waiter gets the permit. */
    private static void waitForThePermit(NamedSemaphore sem, Processes.Peer holder, Processes.Peer waiter)
            throws Exception {
        HolderReport report = awaitWaiters(sem, 1);
        assertThat(report.lastOperationPid()).hasValue(holder.process.pid());
        assertThat(report.holders()).singleElement().satisfies(h -> {
            assertThat(h.pid()).isEqualTo(holder.process.pid());
            assertThat(h.command()).isEqualTo("crash-safe job");
            assertThat(h.state()).isEqualTo(State.ALIVE);
        });

        holder.process.destroyForcibly().waitFor();
        assertThat(waiter.readLine()).as("the kernel gave the dead holder's permit back").isEqualTo("acquired");
        report = sem.holders();
        assertThat(report.deadHoldersReturned()).isTrue();
        assertThat(report.holders()).singleElement().extracting(SemaphoreHolder::state).isEqualTo(State.DEAD);
        assertThat(sem.releaseDeadHolders()).as("only the record goes; nothing is released").hasSize(1);
        assertThat(sem.availablePermits()).isLessThanOrEqualTo(1);
        assertThat(sem.holders().holders()).isEmpty();
    }

    private static HolderReport awaitWaiters(NamedSemaphore sem, int waiters) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HolderReport report = sem.holders();
        while (report.waiters().orElse(-1) != waiters && System.nanoTime() < deadline) {
            Thread.sleep(20);
            report = sem.holders();
        }
        assertThat(report.waiters()).hasValue(waiters);
        return report;
    }

    private static Path write(String fileName, String content) throws Exception {
        return Files.writeString(Path.of("/dev/shm", fileName), content, StandardCharsets.UTF_8);
    }

    private static String hex(String name) {
        return HexFormat.of().formatHex(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String fnv64(String name) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x100000001b3L;
        }
        return String.format("%016x", hash);
    }
}
