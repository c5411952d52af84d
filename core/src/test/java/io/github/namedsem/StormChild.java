package io.github.namedsem;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Child-JVM command for the close-storm test (started through {@link ChildMain}).
 *
 * <pre>
 *   storm NAME MILLIS   for MILLIS: handles to NAME are opened and closed again at random
 *                       moments while worker threads call tryAcquire, availablePermits and
 *                       release on whichever handle is current. A permit taken through a
 *                       handle that is then closed is given back through a new handle,
 *                       so the count is conserved. Prints "done CLOSED_SEEN OPS" or the
 *                       first unexpected exception.
 * </pre>
 */
final class StormChild {
    private StormChild() {}

    private static void giveBack(String name) {
        try (NamedSemaphore sem = NamedSemaphore.open(name)) {
            sem.release();
        }
    }

    static void main(String[] args) throws Exception {
        String name = args[1];
        long until = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000L;
        AtomicReference<NamedSemaphore> current = new AtomicReference<>(NamedSemaphore.open(name));
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        long[] closedSeen = new long[4];
        long[] ops = new long[4];
        {
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int me = w;
                workers.add(Thread.ofPlatform().start(() -> {
                    while (System.nanoTime() - until < 0 && unexpected.get() == null) {
                        NamedSemaphore sem = current.get();
                        try {
                            ops[me]++;
                            sem.availablePermits();
                            if (sem.tryAcquire()) {
                                try {
                                    sem.release();
                                } catch (SemaphoreClosedException closedMeanwhile) {
                                    giveBack(name); // the permit is still ours
                                    closedSeen[me]++;
                                }
                            }
                        } catch (SemaphoreClosedException expected) {
                            closedSeen[me]++;
                        } catch (Throwable t) {
                            unexpected.compareAndSet(null, t);
                        }
                    }
                }));
            }
            while (System.nanoTime() - until < 0 && unexpected.get() == null) {
                Thread.sleep(0, ThreadLocalRandom.current().nextInt(200_000));
                // Close before opening anew: the process then has no handle left for a moment,
                // so the mapping itself is unmapped under the workers.
                current.get().close();
                current.set(NamedSemaphore.open(name));
            }
            for (Thread t : workers) {
                t.join();
            }
            current.get().close();
        }
        if (unexpected.get() != null) {
            System.out.println("unexpected " + unexpected.get());
            unexpected.get().printStackTrace(System.out);
            System.exit(1);
        }
        long closed = 0;
        long total = 0;
        for (int i = 0; i < 4; i++) {
            closed += closedSeen[i];
            total += ops[i];
        }
        System.out.println("done " + closed + " " + total);
    }
}
