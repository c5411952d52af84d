package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.namedsem.Processes.Lang;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * namedsem and programs written against other ecosystems' own APIs — C's {@code sem_open},
 * Boost.Interprocess's {@code named_semaphore}, Python's ctypes — share one semaphore by name.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InteropTest {
    private static final List<Lang> OTHERS = List.of(Lang.C, Lang.BOOST, Lang.PYTHON);

    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    static Stream<Arguments> creatorsAndOthers() {
        return Stream.of(Lang.values()).flatMap(creator -> OTHERS.stream().map(other -> Arguments.of(creator, other)));
    }

    /** Creates the semaphore from the given side, with {@code value} permits. */
    private void createFrom(Lang creator, String name, int value) throws Exception {
        if (creator == Lang.JAVA) {
            NamedSemaphore.create(name, value).close();
        } else {
            assertThat(creator.run("create", name, Integer.toString(value))).isEqualTo("created");
        }
    }

    @ParameterizedTest(name = "created by {0}, contended by Java and {1}")
    @MethodSource("creatorsAndOthers")
    void ofFourContendersWithTimeoutZeroExactlyMaxSucceed(Lang creator, Lang other) throws Exception {
        String name = names.next("mixed");
        createFrom(creator, name, 2);
        List<String> results = Processes.contend(List.of(Lang.JAVA, other, Lang.JAVA, other), name, 2000);
        assertThat(results).as("results of Java, %s, Java, %s", other, other).filteredOn("acquired"::equals).hasSize(2);
        assertThat(results).filteredOn("timeout"::equals).hasSize(2);
        try (var sem = NamedSemaphore.open(name)) {
            assertThat(sem.availablePermits()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"C", "BOOST", "PYTHON"})
    void javaReleasesWhatTheOtherSideWaitsFor(Lang other) throws Exception {
        try (var sem = NamedSemaphore.create(names.next("to-" + other), 0, 1);
             var peer = other.start("wait", sem.name(), "60000")) {
            assertThat(peer.readLine()).isEqualTo("waiting");
            Thread.sleep(100);
            sem.release();
            assertThat(peer.readLine()).isEqualTo("acquired");
            assertThat(peer.waitFor()).isZero();
            assertThat(sem.availablePermits()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"C", "BOOST", "PYTHON"})
    void theOtherSideReleasesWhatJavaWaitsFor(Lang other) throws Exception {
        try (var sem = NamedSemaphore.create(names.next("from-" + other), 0, 1)) {
            var acquired = Waits.tryAcquireAsync(sem, Duration.ofSeconds(60));
            Thread.sleep(100);
            assertThat(acquired).isNotDone();
            other.run("post", sem.name());
            assertThat(acquired.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"C", "BOOST", "PYTHON"})
    void timedWaitsOnEachSideTimeOutWhenNobodyReleases(Lang other) throws Exception {
        try (var sem = NamedSemaphore.create(names.next("idle-" + other), 0, 1);
             var peer = other.start("wait", sem.name(), "200")) {
            assertThat(peer.readLine()).isEqualTo("waiting");
            assertThat(peer.readLine()).isEqualTo("timeout");
            assertThat(peer.waitFor()).isEqualTo(2);
            long start = System.nanoTime();
            assertThat(sem.tryAcquire(Duration.ofMillis(200))).isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(200L, 1000L);
        }
    }

    /**
     * The leading platform thread and a C process both sleep on the futex, the Java one queued
     * first, and the post comes around the moment the Java wait times out. Whoever the kernel
     * wakes must take the permit: a Java wait that swallowed the wake and gave up at its
     * deadline would leave the C process asleep next to a free permit (glibc's protocol wakes
     * one waiter per post). Checked with a mutant of GlibcSemaphore that gives up a wake at its
     * deadline: about one round in five loses the wake.
     */
    @Test
    void aWakeTheJavaLeaderGetsAsItsWaitTimesOutIsNeverLostToACWaiter() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try (var sem = NamedSemaphore.create(names.next("deadline-wake"), 0, 2);
             var peer = Lang.C.start("waits", sem.name(), "1000")) {
            for (int round = 0; round < 150; round++) {
                long start = System.nanoTime();
                var java = Waits.tryAcquireAsync(sem, Duration.ofMillis(10));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // the Java leader sleeps first
                peer.send("wait");
                long postAt = start + TimeUnit.MILLISECONDS.toNanos(10) + random.nextLong(-400_000, 400_000);
                while (System.nanoTime() - postAt < 0) {
                    Thread.onSpinWait();
                }
                sem.release();
                boolean javaGotIt = java.get(30, TimeUnit.SECONDS);
                if (javaGotIt) {
                    sem.release(); // the C process's permit
                }
                assertThat(peer.readLine()).as("round %d: the Java wait returned %s, %d permits free", round,
                        javaGotIt, sem.availablePermits()).isEqualTo("acquired");
            }
        }
    }

    @Test
    void boostJobsCJobsWithSlashAndJavaJobsAreOneObject() throws Exception {
        String name = names.next("jobs");
        assertThat(Lang.BOOST.run("create", name, "3")).isEqualTo("created"); // Boost: "jobs"
        assertThat(Lang.C.run("value", name)).isEqualTo("3");                  // C: "/jobs"
        try (var sem = NamedSemaphore.open(name)) {                            // Java: "jobs"
            assertThat(sem.tryAcquire()).isTrue();
            assertThat(Lang.PYTHON.run("value", name)).isEqualTo("2");
            assertThat(Lang.BOOST.run("wait", name, "1000")).isEqualTo("acquired");
            assertThat(sem.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void aNonAsciiNameWorksAcrossLanguages() throws Exception {
        String name = names.next("ünï-çødé-日本-😀");
        try (var sem = NamedSemaphore.create(name, 0, 4)) {
            assertThat(Lang.PYTHON.run("post", name)).isEqualTo("1");
            assertThat(Lang.C.run("post", name)).isEqualTo("2");
            assertThat(Lang.BOOST.run("post", name)).isEqualTo("posted");
            assertThat(sem.availablePermits()).isEqualTo(3);
            assertThat(Lang.C.run("value", name)).isEqualTo("3");
        }
    }

    @Test
    void aNameUnlinkedByAnotherLanguageIsGoneForJavaWhileOpenHandlesWork() throws Exception {
        String name = names.next("unlinked");
        try (var sem = NamedSemaphore.create(name, 1)) {
            assertThat(Lang.BOOST.run("unlink", name)).isEqualTo("unlinked");
            assertThat(NamedSemaphore.unlink(name)).isFalse();
            assertThat(sem.tryAcquire()).isTrue();
            sem.release();
        }
    }
}
