package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What happens when processes die, exit, unlink, run out of descriptors, or pile up. */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FaultsTest {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @Test
    void aHolderKilledWithSigkillKeepsItsPermitUntilSomeoneRepairsIt() throws Exception {
        String name = names.next("killed");
        try (var sem = NamedSemaphore.create(name, 2);
             var holder = Processes.jvm("hold-forever", name)) {
            assertThat(holder.readLine()).isEqualTo("acquired");
            holder.process.destroyForcibly(); // SIGKILL
            assertThat(holder.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            // Detect: the count stays one short with nobody holding.
            assertThat(sem.availablePermits()).isEqualTo(1);
            // Repair: give the lost permit back.
            assertThat(sem.release()).isEqualTo(1);
            assertThat(sem.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void aProcessThatExitsWithoutClosingKeepsWhatItHeldTaken() throws Exception {
        String name = names.next("exit");
        try (var sem = NamedSemaphore.create(name, 2); var child = Processes.jvm("hold-and-exit", name)) {
            assertThat(child.readLine()).isEqualTo("acquired");
            assertThat(child.waitFor()).isZero();
            assertThat(sem.availablePermits()).as("an exit, like a crash, gives nothing back").isEqualTo(1);
            assertThat(sem.tryAcquire()).as("the semaphore works on").isTrue();
        }
    }

    @Test
    void afterUnlinkOpenHandlesShareTheOldObjectAndCreateMakesAnUnrelatedOne() throws Exception {
        String name = names.next("relink");
        try (var old = NamedSemaphore.create(name, 1); var oldToo = NamedSemaphore.open(name)) {
            old.unlink();
            try (var fresh = NamedSemaphore.create(name, 5)) {
                assertThat(old.tryAcquire()).isTrue();
                assertThat(oldToo.availablePermits()).as("the old handles share the old object").isZero();
                assertThat(fresh.availablePermits()).as("the new object is unrelated").isEqualTo(5);
                try (var opened = NamedSemaphore.open(name)) {
                    assertThat(opened.availablePermits()).as("open finds the new one").isEqualTo(5);
                }
            }
        }
    }

    @Test
    void runningOutOfFileDescriptorsGivesAClearErrorAndClosingRecovers() throws Exception {
        String name = names.next("emfile");
        NamedSemaphore.create(name, 1).close();
        var outcome = Processes.runToEnd(Processes.jvmCommand(
                List.of("sh", "-c", "ulimit -n 256 && exec \"$@\"", "sh"), "exhaust", name));
        assertThat(outcome.status()).as(outcome.out()).isZero();
        assertThat(outcome.out()).contains("refused EMFILE: Cannot open semaphore /" + name)
                .contains("ulimit -n").contains("recovered 1");
    }

    @Test
    void fiftyProcessesTimesTwoHundredCyclesNeverExceedThreePermits() throws Exception {
        String name = names.next("load");
        Path counters = Files.createTempFile("namedsem-load", ".bin");
        Files.write(counters, new byte[8]);
        try (var sem = NamedSemaphore.create(name, 3)) {
            List<Process> processes = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    processes.add(new ProcessBuilder(Processes.jvmCommand(List.of(), "load", name, "200", counters.toString()))
                            .redirectErrorStream(true).start());
                }
                for (Process p : processes) {
                    assertThat(p.waitFor(4, TimeUnit.MINUTES)).as("process %d is not stuck", p.pid()).isTrue();
                    String out = new String(p.getInputStream().readAllBytes());
                    assertThat(p.exitValue()).as(out).isZero();
                    assertThat(out).isEqualTo("done\n");
                }
            } finally {
                processes.forEach(Process::destroyForcibly);
            }
            byte[] bytes = Files.readAllBytes(counters);
            var buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.nativeOrder());
            assertThat(buffer.getInt(0)).as("holders at the end").isZero();
            assertThat(buffer.getInt(4)).as("most holders at once").isBetween(1, 3);
            assertThat(sem.availablePermits()).isEqualTo(3);
        } finally {
            Files.deleteIfExists(counters);
        }
    }
}
