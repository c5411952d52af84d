package io.github.namedsem.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Wake latency: the time from a {@code release()} to the return of a waiter blocked in
 * {@code acquire()}, while N threads are blocked on the same semaphore. Each round releases one
 * permit; the waiter that gets it notes the time and waits again, so N stay blocked. Prints one
 * line per case for {@link Report}: implementation, thread kind, waiters, median ns, 90th
 * percentile ns. Platform threads only up to {@link Blocking#MAX_PLATFORM}.
 *
 * <pre>java -cp ... io.github.namedsem.bench.WakeLatency ROUNDS COUNTS   (COUNTS: 1,10,100)</pre>
 */
public final class WakeLatency {
    private final Blocking sem;
    private final long[] latencies;
    private final Semaphore returned = new Semaphore(0);
    private volatile long posted;
    private volatile int round;
    private volatile boolean over;

    private WakeLatency(Blocking sem, int rounds) {
        this.sem = sem;
        this.latencies = new long[rounds];
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        for (String impl : Blocking.IMPLS) {
            for (boolean virtual : new boolean[] {false, true}) {
                for (int n : Blocking.counts(args[1])) {
                    if (!virtual && n > Blocking.MAX_PLATFORM) {
                        continue;
                    }
                    try (Blocking sem = Blocking.create(impl, n)) {
                        long[] sorted = new WakeLatency(sem, rounds).measure(virtual, n);
                        System.out.printf(Locale.ROOT, "%s %s %d %d %d%n", impl, virtual ? "virtual" : "platform", n,
                                sorted[rounds / 2], sorted[rounds * 9 / 10]);
                    }
                }
            }
        }
    }

    private void waitAndTime() throws InterruptedException {
        for (;;) {
            sem.acquire();
            long now = System.nanoTime();
            if (over) {
                return;
            }
            latencies[round] = now - posted;
            returned.release();
        }
    }

    private long[] measure(boolean virtual, int waiters) throws Exception {
        List<Thread> threads = Blocking.start(virtual, waiters, this::waitAndTime);
        Thread.sleep(200 + waiters / 20); // every thread in its wait
        // The first rounds compile the paths; only the last latencies.length count.
        for (int r = -latencies.length / 5 - 20; r < latencies.length; r++) {
            round = Math.max(r, 0);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // the last winner is back in its wait
            posted = System.nanoTime();
            sem.release(1);
            returned.acquire();
        }
        over = true;
        sem.release(waiters);
        for (Thread t : threads) {
            t.join();
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return sorted;
    }
}
