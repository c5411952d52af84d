package io.github.namedsem;

import io.github.namedsem.internal.posix.UnguardedGlibcSemaphore;
import io.github.namedsem.internal.posix.UnmapAtCloseGlibcSemaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;

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
 *   storm-unmap NAME MILLIS
 *                       the same storm on {@link UnmapAtCloseGlibcSemaphore}: the standard
 *                       kind's compare-and-set on its shared-arena mapping, unmapped by each
 *                       close() at once, so the unmap itself races the workers.
 *   storm-unguarded NAME MILLIS
 *                       the same storm on {@link UnguardedGlibcSemaphore}, glibc's
 *                       compare-and-set on a mapping no arena guards, unmapped by close():
 *                       the negative control, which must crash.
 * </pre>
 */
final class StormChild {
    private StormChild() {}

    /** What the storm works on: a handle's operations that touch the mapping without a native call. */
    private record Handle(IntSupplier permits, BooleanSupplier taker, IntSupplier releaser, Runnable closer)
            implements AutoCloseable {
        int availablePermits() {
            return permits.getAsInt();
        }

        boolean tryAcquire() {
            return taker.getAsBoolean();
        }

        int release() {
            return releaser.getAsInt();
        }

        @Override
        public void close() {
            closer.run();
        }
    }

    private static Handle standard(String name) {
        NamedSemaphore sem = NamedSemaphore.open(name);
        return new Handle(sem::availablePermits, sem::tryAcquire, sem::release, sem::close);
    }

    private static Handle unmapAtClose(String name) {
        UnmapAtCloseGlibcSemaphore sem = UnmapAtCloseGlibcSemaphore.open(name);
        return new Handle(sem::availablePermits, sem::tryAcquire, sem::release, sem::close);
    }

    private static Handle unguarded(String name) {
        UnguardedGlibcSemaphore sem = UnguardedGlibcSemaphore.open(name);
        return new Handle(sem::availablePermits, sem::tryAcquire, sem::release, sem::close);
    }

    static void main(String[] args) throws Exception {
        Function<String, Handle> opener = switch (args[0]) {
            case "storm" -> StormChild::standard;
            case "storm-unmap" -> StormChild::unmapAtClose;
            case "storm-unguarded" -> StormChild::unguarded;
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        };
        storm(args[1], Long.parseLong(args[2]), opener);
    }

    private static void storm(String name, long millis, Function<String, Handle> opener) throws Exception {
        long until = System.nanoTime() + millis * 1_000_000L;
        AtomicReference<Handle> current = new AtomicReference<>(opener.apply(name));
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        long[] closedSeen = new long[4];
        long[] ops = new long[4];
        {
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int me = w;
                workers.add(Thread.ofPlatform().start(() -> {
                    while (System.nanoTime() - until < 0 && unexpected.get() == null) {
                        Handle sem = current.get();
                        try {
                            ops[me]++;
                            sem.availablePermits();
                            if (sem.tryAcquire()) {
                                try {
                                    sem.release();
                                } catch (SemaphoreClosedException closedMeanwhile) {
                                    try (Handle again = opener.apply(name)) {
                                        again.release(); // the permit is still ours
                                    }
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
                // Close before opening anew: the process has no handle left for a moment. (A
                // NamedSemaphore's mapping lingers a second after its last handle, so its
                // closes race the handles' own close checks; storm-unmap and storm-unguarded
                // unmap under the workers.)
                current.get().close();
                current.set(opener.apply(name));
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
