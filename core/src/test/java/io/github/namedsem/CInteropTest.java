package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A C program, compiled with gcc at test time, opens the same semaphores with
 * {@code sem_open}: each side releases what the other waits for.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@EnabledOnOs(OS.LINUX)
class CInteropTest {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @Test
    void cReleasesWhatJavaWaitsFor() throws Exception {
        String name = names.next("c2java");
        try (var sem = NamedSemaphore.create(name, 0, 1)) {
            var acquired = Waits.tryAcquireAsync(sem, Duration.ofSeconds(60));
            Thread.sleep(100);
            assertThat(acquired).isNotDone();
            // C prints the value after its post: 0 if the Java waiter already took the permit.
            assertThat(Processes.cRun("post", "/" + name)).isIn("0", "1");
            assertThat(acquired.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sem.availablePermits()).isZero();
        }
    }

    @Test
    void javaReleasesWhatCWaitsFor() throws Exception {
        String name = names.next("java2c");
        try (var sem = NamedSemaphore.create(name, 0, 1);
             var c = Processes.c("wait", "/" + name, "60000")) {
            assertThat(c.readLine()).isEqualTo("waiting");
            Thread.sleep(100);
            sem.release();
            assertThat(c.readLine()).isEqualTo("acquired");
            assertThat(c.waitFor()).isZero();
            assertThat(sem.availablePermits()).isZero();
        }
    }

    @Test
    void aSemaphoreCreatedInCIsOpenedByTheSameNameWithoutTheSlash() throws Exception {
        String name = names.next("fromc");
        assertThat(Processes.cRun("create", "/" + name, "3")).isEqualTo("created");
        try (var sem = NamedSemaphore.open(name)) {
            assertThat(sem.availablePermits()).isEqualTo(3);
            assertThat(sem.tryAcquire()).isTrue();
            assertThat(Processes.cRun("value", "/" + name)).isEqualTo("2");
        }
    }

    @Test
    void aTimedWaitInCTimesOutWhenJavaHoldsEverything() throws Exception {
        String name = names.next("ctimeout");
        try (var sem = NamedSemaphore.create(name, 1)) {
            assertThat(sem.tryAcquire()).isTrue();
            try (var c = Processes.c("wait", "/" + name, "200")) {
                assertThat(c.readLine()).isEqualTo("waiting");
                assertThat(c.readLine()).isEqualTo("timeout");
                assertThat(c.waitFor()).isEqualTo(2);
            }
            sem.release();
        }
    }

    @Test
    void aNameUnlinkedInCIsGoneForJava() throws Exception {
        String name = names.next("cunlink");
        try (var sem = NamedSemaphore.create(name, 1)) {
            assertThat(Processes.cRun("unlink", "/" + name)).isEqualTo("unlinked");
            assertThat(NamedSemaphore.unlink(name)).isFalse();
            assertThat(sem.tryAcquire()).as("open handles keep working").isTrue();
        }
    }
}
