package io.github.namedsem.bench;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * CPU that blocked waiters cost while nothing happens: N threads wait in {@code acquire()} on
 * one semaphore with no permits, and the process's CPU time is sampled over a quiet window.
 * Prints one line per case for {@link Report}: implementation, thread kind, waiters, percent of
 * one core. Run in a JVM of its own, so no other work of the report is counted.
 *
 * <pre>java -cp ... io.github.namedsem.bench.IdleCpu MILLIS COUNTS   (COUNTS: 10,100,1000)</pre>
 */
public final class IdleCpu {
    private IdleCpu() {}

    public static void main(String[] args) throws Exception {
        long millis = Long.parseLong(args[0]);
        for (String impl : Blocking.IMPLS) {
            for (boolean virtual : new boolean[] {false, true}) {
                for (int n : Blocking.counts(args[1])) {
                    System.out.printf(java.util.Locale.ROOT, "%s %s %d %.3f%n", impl, virtual ? "virtual" : "platform",
                            n, idlePercent(impl, n, virtual, millis));
                }
            }
        }
    }

    private static double idlePercent(String impl, int waiters, boolean virtual, long millis) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Blocking sem = Blocking.create(impl, waiters)) {
            List<Thread> threads = Blocking.start(virtual, waiters, sem::acquire);
            Thread.sleep(500); // everyone blocked, start-up work (and its JIT) done
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(millis);
            double percent = 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - t0);
            sem.release(waiters);
            for (Thread t : threads) {
                t.join();
            }
            return percent;
        }
    }
}
