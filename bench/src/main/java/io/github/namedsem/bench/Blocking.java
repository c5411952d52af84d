package io.github.namedsem.bench;

import io.github.namedsem.NamedSemaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the waiter workloads ({@link WakeLatency}, {@link IdleCpu}) block on: a fresh namedsem
 * semaphore with no permits, or java.util.concurrent's as the in-process comparator, so both
 * run the very same threads and timing.
 */
abstract class Blocking implements AutoCloseable {
    /** The implementations the waiter workloads compare, as named in their output. */
    static final List<String> IMPLS = List.of("namedsem", "juc");

    abstract void acquire() throws InterruptedException;

    abstract void release(int permits);

    /** Removes the semaphore; declared without exceptions, since closing one never waits. */
    @Override
    public abstract void close();

    /** A semaphore with no permits that {@code waiters} threads may wait on and all be released. */
    static Blocking create(String impl, int waiters) {
        if (impl.equals("juc")) {
            Semaphore juc = new Semaphore(0);
            return new Blocking() {
                void acquire() throws InterruptedException {
                    juc.acquire();
                }

                void release(int permits) {
                    juc.release(permits);
                }

                public void close() {}
            };
        }
        String name = Names.unique("waiters");
        NamedSemaphore sem = NamedSemaphore.create(name, 0, waiters);
        return new Blocking() {
            void acquire() throws InterruptedException {
                sem.acquire();
            }

            void release(int permits) {
                sem.release(permits);
            }

            public void close() {
                sem.close();
                NamedSemaphore.unlink(name);
            }
        };
    }

    /** A loop one waiter runs; interrupts end it. */
    interface Body {
        void run() throws InterruptedException;
    }

    /**
     * Starts {@code n} threads of the kind running {@code body} and returns once every one has
     * begun it; the caller still lets them settle into their wait.
     */
    static List<Thread> start(boolean virtual, int n, Body body) throws InterruptedException {
        AtomicInteger begun = new AtomicInteger();
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform().daemon();
            threads.add(builder.start(() -> {
                begun.incrementAndGet();
                try {
                    body.run();
                } catch (InterruptedException ended) {
                    // the workload is over
                }
            }));
        }
        while (begun.get() < n) {
            Thread.sleep(10);
        }
        return threads;
    }

    /** Platform threads up to this many per process; above it only virtual threads (pid_max, 2 cores). */
    static final int MAX_PLATFORM = 1000;

    /** "1,10,100" as counts. */
    static int[] counts(String list) {
        return java.util.Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
