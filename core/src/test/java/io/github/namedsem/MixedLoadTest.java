package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Java and C processes on one semaphore for a long time: interleaved operations with the count
 * conserved and no wake-up lost in either direction, and a storm of handle closes in a child
 * JVM while C processes wait and post on the same semaphore.
 */
@EnabledOnOs(OS.LINUX)
class MixedLoadTest {
    private static final int PERMITS = 1;
    private static final long C_OPS = 400_000;
    private static final long JAVA_OPS = 200_000;
    /** A wait longer than this means a lost wake-up: every holder posts at once. */
    private static final long WAIT_LIMIT_MS = 30_000;

    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    /** Starts two C participants and lets them go together once both are up. */
    private static void startC(List<Processes.Peer> peers, String name, long ops, int seed) throws Exception {
        for (int i = 0; i < 2; i++) {
            peers.add(new Processes.Peer(new ProcessBuilder(Processes.mixedLoadPeer().toString(), "/" + name,
                    Long.toString(ops), Integer.toString(seed + i), Long.toString(WAIT_LIMIT_MS))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start()));
        }
        for (Processes.Peer peer : peers) {
            assertThat(peer.readLine()).isEqualTo("ready");
            peer.send("go");
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void overAMillionOperationsInterleavedWithCProcessesConserveTheCountAndLoseNoWakeUp() throws Exception {
        String name = names.next("mixed");
        try (var sem = NamedSemaphore.create(name, PERMITS)) {
            List<Processes.Peer> peers = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> javas = new ArrayList<>();
            try {
                startC(peers, name, C_OPS, 17);
                for (int i = 0; i < 2; i++) {
                    int seed = 31 + i;
                    // Each thread its own handle, so the mapping is shared between handles too.
                    javas.add(Thread.ofPlatform().start(() -> runJava(name, seed, failure)));
                }
                long blocked = 0;
                for (Processes.Peer peer : peers) {
                    String done = peer.readLine();
                    assertThat(done).as("C participant").startsWith("done ");
                    blocked += Long.parseLong(done.substring("done ".length()));
                    assertThat(peer.waitFor()).isZero();
                }
                // Each of these was a C process asleep in sem_timedwait until a post woke it.
                assertThat(blocked).as("C waits that blocked and were woken").isGreaterThan(1_000);
                for (Thread t : javas) {
                    t.join();
                }
            } finally {
                peers.forEach(Processes.Peer::close);
            }
            assertThat(failure.get()).as("Java participants").isNull();
            assertThat(sem.availablePermits()).as("the count after all participants gave back what they took")
                    .isEqualTo(PERMITS);
        }
    }

    /** The Java participant: the same mix as mixed_load.c, through namedsem's API. */
    private static void runJava(String name, int seed, AtomicReference<Throwable> failure) {
        SplittableRandom random = new SplittableRandom(seed);
        try (var sem = NamedSemaphore.openOrCreate(name, PERMITS, PERMITS)) {
            boolean held = false;
            for (long i = 0; i < JAVA_OPS && failure.get() == null; i++) {
                if (held) {
                    if (random.nextInt(64) == 0) {
                        LockSupport.parkNanos(20_000); // hold on now and then, as mixed_load.c does
                    }
                    sem.release(); // refused past the maximum of 1: would reveal a duplicated permit
                    held = false;
                } else if (random.nextBoolean()) {
                    held = sem.tryAcquire();
                } else if (random.nextBoolean()) {
                    sem.acquire();
                    held = true;
                } else if (!sem.tryAcquire(Duration.ofMillis(WAIT_LIMIT_MS))) {
                    throw new AssertionError("lost wake-up: no permit within " + WAIT_LIMIT_MS + " ms");
                } else {
                    held = true;
                }
            }
            if (held) {
                sem.release();
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aStormOfClosesWhileCProcessesWaitAndPostNeverCrashesAndConservesTheCount() throws Exception {
        String name = names.next("storm");
        try (var sem = NamedSemaphore.create(name, PERMITS)) {
            List<Processes.Peer> peers = new ArrayList<>();
            try {
                startC(peers, name, 40_000, 71);
                ChildJvm.Ending storm = storm("storm", name);
                assertThat(storm.signsOfDeath("done ")).as("the storm child: %s", storm.out()).isEmpty();
                String[] counts = storm.after("done ").split(" ");
                assertThat(Long.parseLong(counts[0])).as("closes that raced an operation").isPositive();
                for (Processes.Peer peer : peers) {
                    assertThat(peer.readLine()).as("C participant").startsWith("done");
                    assertThat(peer.waitFor()).isZero();
                }
            } finally {
                peers.forEach(Processes.Peer::close);
            }
            assertThat(sem.availablePermits()).isEqualTo(PERMITS);
        }
    }

    /**
     * The storm with the unmap itself racing the workers: the standard kind's compare-and-set on
     * its shared-arena mapping, each close unmapping at once (a NamedSemaphore's mapping
     * lingers past the closes of any storm, see SemMapping). The JVM survives and the accesses
     * the unmap caught are reported as closed handles. (The count is not checked: an access the
     * unmap cuts short may have taken effect, which is what the linger is there to prevent.)
     */
    @Test
    void aStormOfUnmapsUnderTheCompareAndSetNeverCrashes() throws Exception {
        ChildJvm.Ending storm = stormAlone("storm-unmap");
        assertThat(storm.signsOfDeath("done ")).as("the storm child: %s", storm.out()).isEmpty();
        assertThat(Long.parseLong(storm.after("done ").split(" ")[0])).as("accesses the unmap caught").isPositive();
    }

    /**
     * The negative control of the unmap storm above: the same storm, run and judged the same
     * way, on glibc's compare-and-set over a mapping that no arena guards and close() unmaps at
     * once. That it dies shows the storm tests see the crash the shared arena prevents.
     */
    @Test
    void negativeControlTheSameStormOnACompareAndSetWithoutTheArenaCrashes() throws Exception {
        ChildJvm.Ending storm = stormAlone("storm-unguarded");
        assertThat(storm.signsOfDeath("done ")).as("the unguarded storm child: %s", storm.out()).isNotEmpty();
        assertThat(storm.crashReports()).as("a JVM crash report").isNotEmpty();
    }

    /** Runs a storm child on a semaphore of its own, with no other process. */
    private ChildJvm.Ending stormAlone(String command) throws Exception {
        String name = names.next(command);
        try (var _ = NamedSemaphore.create(name, PERMITS)) {
            return storm(command, name);
        }
    }

    /** Runs a storm child for 3 s. */
    private static ChildJvm.Ending storm(String command, String name) throws Exception {
        return ChildJvm.run(List.of(), child -> { }, command, name, "3000");
    }

    /**
     * Eight platform threads on one handle and eight C processes take turns at one permit, each
     * holding it and pausing for the same time: the Java side should get about half of the
     * turns, as each of its threads is one waiter like each C process. (With every waiting
     * thread of a handle queued behind one leader, the JVM is a single futex waiter against
     * eight and got about 1 turn in 10.) A quarter is the generous bound.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void platformThreadsOfOneHandleGetTheirShareOfTurnsAgainstAsManyCProcesses() throws Exception {
        int each = 8;
        long holdMicros = 200;
        long millis = 2_000;
        String name = names.next("share");
        try (var sem = NamedSemaphore.create(name, 1, 1)) {
            List<Processes.Peer> peers = new ArrayList<>();
            try {
                for (int i = 0; i < each; i++) {
                    Processes.Peer peer = new Processes.Peer(new ProcessBuilder(Processes.cPeer().toString(), "cycle",
                            "/" + name, Long.toString(holdMicros), Long.toString(millis))
                            .redirectError(ProcessBuilder.Redirect.INHERIT).start());
                    peers.add(peer);
                    assertThat(peer.readLine()).isEqualTo("ready");
                }
                var javaTurns = new java.util.concurrent.atomic.LongAdder();
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                List<Thread> threads = new ArrayList<>();
                for (Processes.Peer peer : peers) {
                    peer.send("go");
                }
                for (int i = 0; i < each; i++) {
                    threads.add(Thread.ofPlatform().start(() -> {
                        while (System.nanoTime() - end < 0) {
                            sem.acquireUninterruptibly();
                            javaTurns.increment();
                            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(holdMicros));
                            sem.release();
                            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(holdMicros));
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join(TimeUnit.SECONDS.toMillis(60));
                }
                long cTurns = 0;
                for (Processes.Peer peer : peers) {
                    cTurns += Long.parseLong(peer.readLine());
                    assertThat(peer.waitFor()).isZero();
                }
                long java = javaTurns.sum();
                assertThat(4 * java).as("Java threads' turns %d against the C processes' %d", java, cTurns)
                        .isGreaterThanOrEqualTo(java + cTurns);
                assertThat(sem.availablePermits()).isEqualTo(1);
            } finally {
                peers.forEach(Processes.Peer::close);
            }
        }
    }
}
