package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.internal.sysv.SysvKeys;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The crash-safe kind against a hostile or unlucky machine: planted marker files, colliding
 * keys, foreign sets, races between threads and processes, sets nobody initialises.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrashSafeHardeningTest {
    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);

    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    private static int keyOf(String name) {
        return SysvKeys.keyOf(SemaphoreName.of(name));
    }

    private static Path marker(String name) {
        return SysvKeys.marker(keyOf(name));
    }

    private static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "planting files as user nobody needs root");
    }

    /** Runs a command as user nobody, as an attacker sharing the machine would. */
    private static void asNobody(String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        full.addAll(List.of(command));
        assertThat(Processes.runToEnd(full).status()).as("%s", full).isZero();
    }

    /** The outcome of an operation that must end within 20 s: a hang fails the test instead of hanging it. */
    private static Object within(Callable<Object> operation) throws Exception {
        var result = new CompletableFuture<Object>();
        Thread worker = Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(operation.call());
            } catch (Throwable t) {
                result.complete(t);
            }
        });
        try {
            return result.get(20, TimeUnit.SECONDS);
        } finally {
            worker.interrupt();
        }
    }

    /** Whether a System V set exists under a key, from /proc/sysvipc/sem (readable by everyone). */
    private static boolean setExists(int key) throws IOException {
        return setLine(key) != null;
    }

    /** The /proc/sysvipc/sem fields (key semid perms nsems uid gid cuid cgid ...) of a key's set, or null. */
    private static String[] setLine(int key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/sysvipc/sem"))) {
            String[] fields = line.trim().split("\\s+");
            if (fields[0].equals(Integer.toString(key))) {
                return fields;
            }
        }
        return null;
    }

    private static String sysvPeer(String command, String name) throws Exception {
        var outcome = Processes.runToEnd(List.of(Processes.sysvPeer().toString(), command, name));
        assertThat(outcome.status()).as(outcome.out()).isZero();
        return outcome.out().trim();
    }

    /** Two names whose System V keys collide, found by brute force (a birthday search over 32 bits). */
    private static String[] collidingNames() {
        Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; ; i++) {
            String candidate = "nscollide-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 1000 + "-" + i;
            String earlier = seen.putIfAbsent(keyOf(candidate), candidate);
            if (earlier != null) {
                return new String[] {earlier, candidate};
            }
        }
    }

    // --- marker files ---

    @Test
    void aFifoPlantedAsTheMarkerByAnotherUserHangsNothing() throws Exception {
        assumeRoot();
        String name = names.nextCrashSafe("fifo");
        Path fifo = marker(name);
        asNobody("mkfifo", "-m", "0666", fifo.toString());
        try {
            assertThat(within(() -> NamedSemaphore.open(name, CRASH_SAFE))).isInstanceOf(NoSuchSemaphoreException.class);
            assertThat(within(() -> NamedSemaphore.unlink(name, CRASH_SAFE))).isEqualTo(false);
            assertThat(Files.isRegularFile(fifo)).as("unlink leaves the planted file alone").isFalse();
            Object created = within(() -> NamedSemaphore.create(name, 1, CRASH_SAFE));
            assertThat(created).isInstanceOf(NamedSemaphore.class);
            ((NamedSemaphore) created).close();
            assertThat(Files.isRegularFile(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .as("the bogus marker was replaced by a real one").isTrue();
        } finally {
            Files.deleteIfExists(fifo);
        }
    }

    @Test
    void aSymlinkedMarkerNeverMakesRootReadAnotherFile() throws Exception {
        String name = names.nextCrashSafe("symlink");
        Path secret = Files.createTempFile("namedsem-secret", ".txt");
        String content = "TOP-SECRET-" + System.nanoTime();
        Files.writeString(secret, content);
        Path link = marker(name);
        Files.createSymbolicLink(link, secret);
        try {
            Object opened = within(() -> NamedSemaphore.open(name, CRASH_SAFE));
            assertThat(opened).isInstanceOf(NoSuchSemaphoreException.class);
            assertThat(((Throwable) opened).getMessage()).doesNotContain(content).contains(link.toString());
            try (var sem = NamedSemaphore.create(name, 1, CRASH_SAFE)) {
                assertThat(sem.availablePermits()).isEqualTo(1);
            }
            assertThat(Files.readString(secret)).as("the link's target is untouched").isEqualTo(content);
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void aMarkerLinkedToDevZeroIsRefusedWithoutExhaustingMemory() throws Exception {
        String name = names.nextCrashSafe("zero");
        Files.createSymbolicLink(marker(name), Path.of("/dev/zero"));
        // In a child JVM with a small heap: before the fix, reading the marker filled it.
        var outcome = Processes.runToEnd(Processes.jvmCommand(List.of(), "crash-safe-open", name));
        assertThat(outcome.out()).startsWith("NoSuchSemaphoreException").contains("symbolic link")
                .doesNotContain("OutOfMemoryError");
        var created = Processes.runToEnd(Processes.jvmCommand(List.of(), "crash-safe-create", name, "1", "600"));
        assertThat(created.out()).isEqualTo("created\n");
    }

    @Test
    void aMarkerPlantedWithAnotherNameDoesNotBlockTheName() throws Exception {
        assumeRoot();
        String name = names.nextCrashSafe("squat");
        Path planted = marker(name);
        asNobody("sh", "-c", "printf squatter > " + planted);
        try {
            assertThatThrownBy(() -> NamedSemaphore.open(name, CRASH_SAFE)).isInstanceOf(NoSuchSemaphoreException.class);
            try (var sem = NamedSemaphore.create(name, 2, CRASH_SAFE)) {
                assertThat(sem.availablePermits()).isEqualTo(2);
                try (var again = NamedSemaphore.open(name, CRASH_SAFE)) {
                    assertThat(again.maxPermits()).hasValue(2);
                }
            }
        } finally {
            Files.deleteIfExists(planted);
        }
    }

    @Test
    void staleTemporaryMarkersOfKilledCreatorsAreCleanedUp() throws Exception {
        String name = names.nextCrashSafe("temp");
        long deadPid = Long.MAX_VALUE / 2; // no such process
        Path old = SysvKeys.marker(keyOf(name)).resolveSibling(".namedsem-sysv-" + System.nanoTime() + ".tmp");
        Path stale = SysvKeys.marker(keyOf(name)).resolveSibling(
                String.format(".namedsem-sysv-%08x.%d.0.tmp", keyOf(name), deadPid));
        for (Path p : List.of(old, stale)) {
            Files.writeString(p, name);
            Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(3600)));
        }
        try {
            NamedSemaphore.create(name, 1, CRASH_SAFE).close();
            assertThat(old).doesNotExist();
            assertThat(stale).doesNotExist();
        } finally {
            Files.deleteIfExists(old);
            Files.deleteIfExists(stale);
        }
    }

    @Test
    void runningOutOfFileDescriptorsOnceDoesNotBreakLaterCreates() throws Exception {
        String name = names.nextCrashSafe("emfile");
        var outcome = Processes.runToEnd(Processes.jvmCommand(
                List.of("sh", "-c", "ulimit -n 256 && exec \"$@\"", "sh"), "crash-safe-exhaust", name));
        assertThat(outcome.out()).as(outcome.out()).contains("exhausted: NamedSemaphoreException").contains("EMFILE")
                .contains("recovered: created");
    }

    // --- the set's own identity ---

    @Test
    void collidingNamesNeverShareASetEvenWhenTheMarkerIsGone() throws Exception {
        String[] pair = collidingNames();
        String a = pair[0];
        String b = pair[1];
        try (var sem = NamedSemaphore.create(a, 1, CRASH_SAFE)) {
            Files.delete(marker(a));
            assertThatThrownBy(() -> NamedSemaphore.openOrCreate(b, 1, 1, CRASH_SAFE))
                    .isInstanceOf(NamedSemaphoreException.class).hasMessageContaining("not the crash-safe semaphore " + b);
            assertThatThrownBy(() -> NamedSemaphore.create(b, 1, CRASH_SAFE))
                    .isInstanceOf(NamedSemaphoreException.class).isNotInstanceOf(SemaphoreExistsException.class);
            assertThatThrownBy(() -> NamedSemaphore.open(b, CRASH_SAFE)).isInstanceOf(NamedSemaphoreException.class);
            assertThat(NamedSemaphore.unlink(b, CRASH_SAFE)).as("b has no set to remove").isFalse();
            assertThat(sem.tryAcquire()).as("a's set is still there").isTrue();
            sem.release();
            try (var reopened = NamedSemaphore.open(a, CRASH_SAFE)) {
                assertThat(reopened.availablePermits()).isEqualTo(1);
            }
        } finally {
            NamedSemaphore.unlink(a, CRASH_SAFE);
            Files.deleteIfExists(marker(a));
        }
        assertThat(setExists(keyOf(a))).isFalse();
    }

    @Test
    void aMarkerForgedByAnotherUserForAnExistingSetIsNotTrusted() throws Exception {
        assumeRoot();
        String name = names.nextCrashSafe("forged");
        Path marker = marker(name);
        try (var sem = NamedSemaphore.create(name, 1, CRASH_SAFE)) {
            Files.delete(marker);
            asNobody("sh", "-c", "printf %s " + name + " > " + marker);
            assertThatThrownBy(() -> NamedSemaphore.open(name, CRASH_SAFE)).isInstanceOf(SemaphoreAccessDeniedException.class)
                    .hasMessageContaining("created by uid 0").hasMessageContaining("nobody");
            assertThatThrownBy(() -> NamedSemaphore.unlink(name, CRASH_SAFE)).isInstanceOf(SemaphoreAccessDeniedException.class);
            assertThat(sem.availablePermits()).as("the set was not removed").isEqualTo(1);
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    @Test
    void theCAndPythonPeersCheckTheSetsIdentityToo() throws Exception {
        String[] pair = collidingNames();
        String python = Files.exists(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        String script = Path.of(System.getProperty("namedsem.test.testClasses"))
                .resolve("../../src/test/python/sysv_peer.py").normalize().toString();
        try (var sem = NamedSemaphore.create(pair[0], 1, CRASH_SAFE)) {
            assertThat(sysvPeer("values", pair[0])).isEqualTo("1 0 1");
            var c = Processes.runToEnd(List.of(Processes.sysvPeer().toString(), "values", pair[1]));
            assertThat(c.status()).isEqualTo(1);
            assertThat(c.out()).contains("not " + pair[1] + "'s");
            var py = Processes.runToEnd(List.of(python, script, "hold", pair[1]));
            assertThat(py.status()).isEqualTo(1);
            assertThat(py.out()).contains("not " + pair[1] + "'s");
            assertThat(sem.availablePermits()).isEqualTo(1);
        } finally {
            NamedSemaphore.unlink(pair[0], CRASH_SAFE);
        }
    }

    @Test
    void unlinkWithoutAMarkerLeavesAnotherProgramsSetAlone() throws Exception {
        String name = names.nextCrashSafe("foreign");
        String id = sysvPeer("foreign", name);
        try {
            assertThat(NamedSemaphore.unlink(name, CRASH_SAFE)).isFalse();
            assertThat(setExists(keyOf(name))).as("the foreign set survives").isTrue();
            assertThatThrownBy(() -> NamedSemaphore.openOrCreate(name, 1, 1, CRASH_SAFE))
                    .isInstanceOf(NamedSemaphoreException.class).hasMessageContaining("ipcrm");
            assertThat(setExists(keyOf(name))).isTrue();
            assertThat(marker(name)).as("no marker is left behind for a set that is not ours").doesNotExist();
        } finally {
            new ProcessBuilder("ipcrm", "-s", id).start().waitFor();
        }
    }

    @Test
    void aCreateRacingAnUnlinkNeverLeavesALiveSetWithoutItsMarker() throws Exception {
        String name = names.nextCrashSafe("unlinkrace");
        int key = keyOf(name);
        var barrier = new CyclicBarrier(2);
        try (var pool = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 300; round++) {
                var create = pool.submit(() -> {
                    barrier.await();
                    NamedSemaphore.openOrCreate(name, 1, 1, CRASH_SAFE).close();
                    return null;
                });
                var unlink = pool.submit(() -> {
                    barrier.await();
                    return NamedSemaphore.unlink(name, CRASH_SAFE);
                });
                create.get(30, TimeUnit.SECONDS);
                unlink.get(30, TimeUnit.SECONDS);
                if (setExists(key)) {
                    assertThat(marker(name)).as("round %d: a live set has its marker", round).exists();
                }
            }
        }
    }

    // --- only the acquirer releases, atomically ---

    /** Two threads release one permit each at the same moment; how many succeeded. */
    private static int raceTwoReleases(NamedSemaphore sem, java.util.concurrent.ExecutorService pool, CyclicBarrier barrier)
            throws Exception {
        var successes = new AtomicInteger();
        List<java.util.concurrent.Future<?>> releases = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            releases.add(pool.submit(() -> {
                barrier.await();
                try {
                    sem.release();
                    successes.incrementAndGet();
                } catch (IllegalStateException refused) {
                    // the other thread released the one permit this process held
                }
                return null;
            }));
        }
        for (var r : releases) {
            r.get(30, TimeUnit.SECONDS);
        }
        return successes.get();
    }

    @Test
    void twoThreadsReleasingOneHeldPermitCannotBothSucceed() throws Exception {
        String name = names.nextCrashSafe("release");
        try (var sem = NamedSemaphore.create(name, 2, CRASH_SAFE); var pool = Executors.newFixedThreadPool(2)) {
            var barrier = new CyclicBarrier(2);
            for (int round = 0; round < 300; round++) {
                assertThat(sem.tryAcquire()).isTrue();
                assertThat(raceTwoReleases(sem, pool, barrier)).as("round %d", round).isEqualTo(1);
                assertThat(sem.availablePermits()).as("round %d", round).isEqualTo(2);
            }
        }
    }

    @Test
    void aKilledHolderCannotLeaveTheCountAboveTheMaximum() throws Exception {
        String name = names.nextCrashSafe("overadmit");
        try (var sem = NamedSemaphore.create(name, 3, CRASH_SAFE); var pool = Executors.newFixedThreadPool(2)) {
            var barrier = new CyclicBarrier(2);
            for (int round = 0; round < 30; round++) {
                try (var h1 = new Processes.Peer(new ProcessBuilder(Processes.sysvPeer().toString(), "hold", name).start());
                     var h2 = new Processes.Peer(new ProcessBuilder(Processes.sysvPeer().toString(), "hold", name).start())) {
                    assertThat(h1.readLine()).isEqualTo("acquired");
                    assertThat(h2.readLine()).isEqualTo("acquired");
                    assertThat(sem.tryAcquire()).isTrue();
                    raceTwoReleases(sem, pool, barrier);
                    h1.process.destroyForcibly();
                    h2.process.destroyForcibly();
                    h1.waitFor();
                    h2.waitFor();
                }
                assertThat(sem.availablePermits()).as("round %d: at most the maximum", round).isEqualTo(3);
            }
        }
    }

    // --- waiting for a set nobody initialises ---

    @Test
    void waitingForASetNobodyInitialisesBacksOffInsteadOfSpinning() throws Exception {
        String name = names.nextCrashSafe("uninit");
        sysvPeer("bare", name);
        Files.write(marker(name), name.getBytes(StandardCharsets.UTF_8));
        var threads = ManagementFactory.getThreadMXBean();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        assertThatThrownBy(() -> NamedSemaphore.open(name, CRASH_SAFE)).isInstanceOf(NamedSemaphoreException.class)
                .hasMessageContaining("never initialised");
        long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(cpu)).as("CPU time spent waiting").isLessThan(Duration.ofMillis(1000));
        assertThat(NamedSemaphore.unlink(name, CRASH_SAFE)).as("its half-made set can be removed by name").isTrue();
        assertThat(setExists(keyOf(name))).isFalse();
    }

    // --- containers: another IPC namespace sharing /dev/shm ---

    @Test
    void aProcessInAnotherIpcNamespaceIsToldInsteadOfGettingASecondSet() throws Exception {
        assumeRoot();
        String name = names.nextCrashSafe("ipcns");
        try (var sem = NamedSemaphore.create(name, 1, CRASH_SAFE)) {
            var outcome = Processes.runToEnd(Processes.jvmCommand(List.of("unshare", "--ipc"),
                    "crash-safe-create", name, "1", "600"));
            assertThat(outcome.out()).startsWith("NamedSemaphoreException").contains("IPC namespace")
                    .doesNotStartWith("created");
            assertThat(sem.availablePermits()).isEqualTo(1);
        }
    }
}
