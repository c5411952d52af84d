package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several JVMs sharing one semaphore by name, as the original package's tests do with processes. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MultiProcessTest {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @Test
    void ofFourContendersWithTimeoutZeroExactlyMaxSucceed() throws Exception {
        String name = names.next("contend");
        try (var sem = NamedSemaphore.create(name, 2)) {
            // All four try while the first two still hold their permits for 2 s.
            List<String> results = Processes.contend(Collections.nCopies(4, Processes.Lang.JAVA), name, 2000);
            assertThat(results).filteredOn("acquired"::equals).hasSize(2);
            assertThat(results).filteredOn("timeout"::equals).hasSize(2);
            assertThat(sem.availablePermits()).isEqualTo(2);
        }
    }

    @Test
    void aBlockingAcquireInOneProcessIsReleasedByAnother() throws Exception {
        String name = names.next("handoff");
        try (var sem = NamedSemaphore.create(name, 0, 1);
             var waiter = Processes.jvm("acquire", name)) {
            assertThat(waiter.readLine()).isEqualTo("waiting");
            Thread.sleep(300);
            assertThat(sem.availablePermits()).isZero();
            try (var releaser = Processes.jvm("release", name, "1")) {
                assertThat(releaser.readLine()).isEqualTo("0"); // the count before its release
                assertThat(releaser.waitFor()).isZero();
            }
            assertThat(waiter.readLine()).isEqualTo("acquired");
            assertThat(sem.availablePermits()).isZero();
            waiter.send("release");
            assertThat(waiter.readLine()).isEqualTo("released");
            assertThat(waiter.waitFor()).isZero();
            assertThat(sem.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void thisJvmWaitsUntilAChildJvmReleases() throws Exception {
        String name = names.next("parentwaits");
        try (var sem = NamedSemaphore.create(name, 0, 1)) {
            var acquired = Waits.tryAcquireAsync(sem, Duration.ofSeconds(60));
            try (var releaser = Processes.jvm("release", name, "1")) {
                assertThat(releaser.waitFor()).isZero();
            }
            assertThat(acquired.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aHolderKilledWithSigkillDoesNotGiveItsPermitBack() throws Exception {
        String name = names.next("killed");
        try (var sem = NamedSemaphore.create(name, 1);
             var holder = Processes.jvm("hold-forever", name)) {
            assertThat(holder.readLine()).isEqualTo("acquired");
            holder.process.destroyForcibly(); // SIGKILL
            holder.process.waitFor(10, TimeUnit.SECONDS);
            // The documented POSIX behaviour: the count stays down until someone repairs it.
            assertThat(sem.availablePermits()).isZero();
            assertThat(sem.release()).isZero();
        }
    }
}
