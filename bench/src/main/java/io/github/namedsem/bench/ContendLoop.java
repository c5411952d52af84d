package io.github.namedsem.bench;

import io.github.namedsem.NamedSemaphore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;

/**
 * One of the processes of the contention workload: {@code ContendLoop NAME WARMUP_MS MILLIS}.
 * It loops acquire + release in two phases, each started by a line on stdin so that all
 * processes run each phase together: first at least WARMUP_MS of warm-up under the same
 * contention, and on until a quarter second passes without the JIT compiling anything, so the
 * measured loop is compiled (a short solo warm-up left seconds of compilation inside the timed
 * window); then, after it printed "warm" and every process got there, MILLIS timed.
 * Prints how many it did in the timed phase and the JIT's milliseconds within it, which shows
 * whether the warm-up was long enough. The same loop as semb.c's "contend".
 */
public final class ContendLoop {
    private ContendLoop() {}

    public static void main(String[] args) throws Exception {
        BufferedReader control = new BufferedReader(new InputStreamReader(System.in));
        var jit = ManagementFactory.getCompilationMXBean();
        try (NamedSemaphore sem = NamedSemaphore.open(args[0])) {
            System.out.println("ready");
            if (control.readLine() == null) {
                return; // the report ended the run
            }
            long warmup = Long.parseLong(args[1]);
            long start = System.nanoTime();
            long compiled;
            do { // bounded: 4 × WARMUP_MS at most, in case something compiles all the time
                compiled = jit.getTotalCompilationTime();
                loop(sem, 250);
            } while (System.nanoTime() - start < warmup * 1_000_000L
                    || compiled != jit.getTotalCompilationTime() && System.nanoTime() - start < 4 * warmup * 1_000_000L);
            System.out.println("warm");
            if (control.readLine() == null) {
                return;
            }
            long jit0 = jit.getTotalCompilationTime();
            long count = loop(sem, Long.parseLong(args[2]));
            System.out.println(count + " " + (jit.getTotalCompilationTime() - jit0));
        }
    }

    private static long loop(NamedSemaphore sem, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        long count = 0;
        while (System.nanoTime() < end) {
            sem.acquire();
            sem.release();
            count++;
        }
        return count;
    }
}
