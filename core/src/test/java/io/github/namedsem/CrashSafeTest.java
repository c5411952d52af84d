package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.internal.sysv.SysvKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What only the crash-safe kind does (System V semaphore sets with SEM_UNDO): permits come back
 * when their holder dies, other System V programs share the set, names whose keys collide. The
 * behaviour it shares with every kind is checked by {@link CrashSafeKindTest}.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrashSafeTest {
    static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);

    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    private static String[] values(String name) throws Exception {
        try (var peer = new Processes.Peer(new ProcessBuilder(Processes.sysvPeer().toString(), "values", name)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start())) {
            return peer.readLine().split(" ");
        }
    }

    @Test
    void behavesLikeTheStandardKindWithAnExactMaximum() throws Exception {
        String name = names.nextCrashSafe("basic");
        try (var sem = NamedSemaphore.create(name, 1, 2, CRASH_SAFE)) {
            assertThat(sem.kind()).isEqualTo(SemaphoreKind.CRASH_SAFE);
            assertThat(sem.created()).isTrue();
            assertThat(sem.osName()).isEqualTo(String.format("sysv:0x%08x", SysvKeys.keyOf(SemaphoreName.of(name))));
            assertThat(sem.maxPermits()).hasValue(2);
            assertThat(values(name)).containsExactly("1", "1", "1");
            assertThat(sem.tryAcquire()).isTrue();
            assertThat(sem.tryAcquire()).isFalse();
            long start = System.nanoTime();
            assertThat(sem.tryAcquire(Duration.ofMillis(200))).isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(200L, 1000L);
            assertThat(values(name)).as("count and headroom moved together").containsExactly("0", "2", "1");
            assertThat(sem.release()).isZero();
            try (var opened = NamedSemaphore.open(name, CRASH_SAFE)) {
                assertThat(opened.created()).isFalse();
                assertThat(opened.maxPermits()).as("openers know the exact maximum").hasValue(2);
                assertThat(opened.availablePermits()).isEqualTo(1);
            }
            assertThatThrownBy(() -> NamedSemaphore.create(name, 1, CRASH_SAFE)).isInstanceOf(SemaphoreExistsException.class);
        }
    }

    @Test
    void aReleasePastTheMaximumFailsAtomicallyAndChangesNothing() throws Exception {
        String name = names.nextCrashSafe("limit");
        try (var sem = NamedSemaphore.create(name, 2, 2, CRASH_SAFE)) {
            assertThat(sem.tryAcquire()).isTrue();
            // Another program raises the count to the maximum without taking headroom from us.
            try (var peer = new Processes.Peer(new ProcessBuilder(Processes.sysvPeer().toString(), "fill", name).start())) {
                assertThat(peer.readLine()).isEqualTo("filled");
            }
            assertThatThrownBy(sem::release).isInstanceOf(PermitLimitExceededException.class)
                    .hasMessageContaining("nothing was released").hasMessageContaining("atomic");
            assertThat(values(name)).containsExactly("2", "0", "1");
        }
    }

    @Test
    void concurrentStormsConservePermits() throws Exception {
        String name = names.nextCrashSafe("storm");
        try (var sem = NamedSemaphore.create(name, 3, CRASH_SAFE)) {
            var failures = new ConcurrentLinkedQueue<Throwable>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                Thread.Builder builder = t % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
                threads.add(builder.start(() -> {
                    try {
                        for (int i = 0; i < 500; i++) {
                            if (sem.tryAcquire(Duration.ofMillis(5))) {
                                sem.release();
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(60_000);
            }
            assertThat(failures).isEmpty();
            assertThat(values(name)).containsExactly("3", "0", "1");
        }
    }

    @Test
    void aHolderKilledWithSigkillGivesThePermitBackAndAWaiterGetsItPromptly() throws Exception {
        String name = names.nextCrashSafe("kill");
        try (var sem = NamedSemaphore.create(name, 1, CRASH_SAFE)) {
            for (int round = 0; round < 200; round++) {
                try (var holder = new Processes.Peer(new ProcessBuilder(Processes.sysvPeer().toString(), "hold", name).start())) {
                    assertThat(holder.readLine()).isEqualTo("acquired");
                    assertThat(sem.availablePermits()).isZero();
                    var waiter = Waits.tryAcquireAsync(sem, Duration.ofSeconds(30));
                    holder.process.destroyForcibly(); // SIGKILL
                    assertThat(waiter.get(5, TimeUnit.SECONDS)).as("round %d", round).isTrue();
                    sem.release();
                }
            }
            assertThat(values(name)).containsExactly("1", "0", "1");
            // And with namedsem itself as the holder, in a child JVM:
            for (int round = 0; round < 5; round++) {
                try (var holder = Processes.jvm("crash-safe-hold", name)) {
                    assertThat(holder.readLine()).isEqualTo("acquired");
                    holder.process.destroyForcibly();
                    assertThat(sem.tryAcquire(Duration.ofSeconds(10))).isTrue();
                    sem.release();
                }
            }
        }
    }

    @Test
    void pythonsSysvIpcOpensTheSameKeyAndItsPermitsComeBackWhenItIsKilled() throws Exception {
        String name = names.nextCrashSafe("python");
        String python = java.nio.file.Files.exists(java.nio.file.Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        String script = java.nio.file.Path.of(System.getProperty("namedsem.test.testClasses"))
                .resolve("../../src/test/python/sysv_peer.py").normalize().toString();
        try (var sem = NamedSemaphore.create(name, 2, CRASH_SAFE)) {
            try (var py = new Processes.Peer(new ProcessBuilder(python, script, "hold", name)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start())) {
                assertThat(py.readLine()).as("python3-sysv-ipc must be installed").isEqualTo("acquired");
                assertThat(sem.availablePermits()).isEqualTo(1);
                assertThat(sem.tryAcquire()).isTrue();
                assertThat(sem.tryAcquire()).as("Python holds the other permit").isFalse();
                py.process.destroyForcibly();
                assertThat(sem.tryAcquire(Duration.ofSeconds(10))).as("the kernel undid Python's acquire").isTrue();
                sem.release(2);
            }
            assertThat(values(name)).containsExactly("2", "0", "1");
        }
    }

    @Test
    void eightProcessesRacingToCreateOrOpenMakeOneSetWithTheRightCounts() throws Exception {
        String name = names.nextCrashSafe("race");
        List<Processes.Peer> racers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                racers.add(Processes.jvm("crash-safe-race", name, "2", "3"));
            }
            for (var r : racers) {
                assertThat(r.readLine()).isEqualTo("ready");
            }
            for (int round = 0; round < 500; round++) {
                NamedSemaphore.unlink(name, CRASH_SAFE);
                racers.forEach(r -> r.send("go"));
                int created = 0;
                for (var r : racers) {
                    String line = r.readLine();
                    assertThat(line).as("round %d", round).matches("(created|opened) 2 3");
                    created += line.startsWith("created") ? 1 : 0;
                }
                assertThat(created).as("round %d: exactly one creator", round).isEqualTo(1);
            }
        } finally {
            racers.forEach(Processes.Peer::close);
        }
    }

    @Test
    void unlinkRemovesTheSetAndWaitersElsewhereAreToldItWasRemoved() throws Exception {
        String name = names.nextCrashSafe("removed");
        try (var sem = NamedSemaphore.create(name, 0, 1, CRASH_SAFE);
             var waiter = Processes.jvm("crash-safe-wait", name, "30000")) {
            assertThat(waiter.readLine()).isEqualTo("waiting");
            Thread.sleep(300);
            assertThat(NamedSemaphore.unlink(name, CRASH_SAFE)).isTrue();
            assertThat(waiter.readLine()).isEqualTo("SemaphoreRemovedException");
            assertThatThrownBy(sem::tryAcquire).isInstanceOf(SemaphoreRemovedException.class);
            assertThatThrownBy(() -> NamedSemaphore.open(name, CRASH_SAFE)).isInstanceOf(NoSuchSemaphoreException.class);
        }
    }

    @Test
    void twoNamesWithTheSameKeyNeverShareASet() {
        Map<Integer, String> seen = new HashMap<>();
        String first = null;
        String second = null;
        for (int i = 0; second == null; i++) {
            String candidate = "nscollide-" + ProcessHandle.current().pid() + "-" + i;
            String earlier = seen.putIfAbsent(SysvKeys.keyOf(SemaphoreName.of(candidate)), candidate);
            if (earlier != null) {
                first = earlier;
                second = candidate;
            }
        }
        names.register(first); // standard-kind cleanup is harmless; the crash-safe one follows
        String a = first;
        String b = second;
        try (var sem = NamedSemaphore.create(a, 1, CRASH_SAFE)) {
            assertThatThrownBy(() -> NamedSemaphore.create(b, 1, CRASH_SAFE)).isInstanceOf(NamedSemaphoreException.class)
                    .hasMessageContaining("map to the same").hasMessageContaining(a);
            assertThatThrownBy(() -> NamedSemaphore.open(b, CRASH_SAFE)).isInstanceOf(NoSuchSemaphoreException.class)
                    .hasMessageContaining(a);
            assertThat(NamedSemaphore.unlink(b, CRASH_SAFE)).isFalse();
            assertThat(sem.availablePermits()).isEqualTo(1);
        } finally {
            NamedSemaphore.unlink(a, CRASH_SAFE);
        }
    }

    @Test
    void waitsAnswerInterruptAndCloseLikeTheOtherKinds() throws Exception {
        String name = names.nextCrashSafe("waits");
        try (var _ = NamedSemaphore.create(name, 0, 1, CRASH_SAFE)) {
            var sem = NamedSemaphore.open(name, CRASH_SAFE);
            var interrupted = new java.util.concurrent.CompletableFuture<Long>();
            Thread platform = Thread.ofPlatform().start(() -> {
                try {
                    sem.acquire();
                    interrupted.completeExceptionally(new AssertionError("acquired without a permit"));
                } catch (InterruptedException e) {
                    interrupted.complete(System.nanoTime());
                } catch (Throwable t) {
                    interrupted.completeExceptionally(t);
                }
            });
            Thread.sleep(200);
            long at = System.nanoTime();
            platform.interrupt();
            assertThat(TimeUnit.NANOSECONDS.toMillis(interrupted.get(5, TimeUnit.SECONDS) - at)).isLessThan(100);

            var closed = new java.util.concurrent.CompletableFuture<Throwable>();
            Thread.ofVirtual().start(() -> {
                try {
                    sem.acquire();
                    closed.complete(null);
                } catch (Throwable t) {
                    closed.complete(t);
                }
            });
            Thread.sleep(200);
            sem.close();
            assertThat(closed.get(5, TimeUnit.SECONDS)).isInstanceOf(SemaphoreClosedException.class);
            assertThat(values(name)).as("nothing taken, nothing lost").containsExactly("0", "1", "1");
        }
    }
}
