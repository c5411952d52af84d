package io.github.namedsem.bench;

import io.github.namedsem.NamedSemaphore;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CPU that blocked waiters cost while nothing happens: N threads wait in {@code acquire()} on
 * a semaphore with no permits, and the process's CPU time is sampled over a quiet window.
 * Prints one line per N: waiters, thread kind, percent of one core.
 *
 * <pre>java -cp ... io.github.namedsem.bench.IdleCpu [SECONDS] [N...]</pre>
 */
public final class IdleCpu {
    private IdleCpu() {}

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        int[] counts = args.length > 1
                ? java.util.Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {10, 100, 1000};
        for (boolean virtual : new boolean[] {false, true}) {
            for (int n : counts) {
                System.out.printf("%d %s waiters: %.2f%% of one core%n", n, virtual ? "virtual" : "platform",
                        idlePercent(n, virtual, seconds));
            }
        }
    }

    private static double idlePercent(int waiters, boolean virtual, long seconds) throws Exception {
        String name = Names.unique("idle");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (var sem = NamedSemaphore.create(name, 0, waiters)) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon();
                threads.add(builder.start(() -> {
                    try {
                        sem.acquire();
                    } catch (InterruptedException | RuntimeException ended) {
                        // released below, or the handle closed
                    }
                }));
            }
            Thread.sleep(1000); // everyone blocked, start-up work done
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            double percent = 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - t0);
            sem.release(waiters);
            for (Thread t : threads) {
                t.join();
            }
            return percent;
        } finally {
            NamedSemaphore.unlink(name);
        }
    }
}
