package io.github.namedsem.bench;

import io.github.namedsem.NamedSemaphore;

/**
 * One of the processes of the contention workload: {@code ContendLoop NAME MILLIS} loops
 * acquire + release for MILLIS, starting when a line arrives on stdin so that all processes start
 * together, and prints how many it did. The same loop as semb.c's "contend".
 */
public final class ContendLoop {
    private ContendLoop() {}

    public static void main(String[] args) throws InterruptedException, java.io.IOException {
        try (NamedSemaphore sem = NamedSemaphore.open(args[0])) {
            long millis = Long.parseLong(args[1]);
            for (int i = 0; i < 20_000; i++) { // warm up before the clock starts
                sem.acquire();
                sem.release();
            }
            System.out.println("ready");
            if (new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine() == null) {
                return; // the report ended the run
            }
            long end = System.nanoTime() + millis * 1_000_000L;
            long count = 0;
            while (System.nanoTime() < end) {
                sem.acquire();
                sem.release();
                count++;
            }
            System.out.println(count);
        }
    }
}
