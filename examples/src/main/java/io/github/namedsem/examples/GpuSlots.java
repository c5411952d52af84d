package io.github.namedsem.examples;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Gives each process its own GPU out of {@code count}: a counting semaphore says how many are
 * free, and one binary semaphore per device says which. Both are crash-safe, so a training job
 * killed by the OOM killer gives its GPU back.
 *
 * <pre>{@code
 * try (var slots = GpuSlots.open("gpu", 4);
 *      var gpu = slots.take(Duration.ofMinutes(30))) {
 *     env.put("CUDA_VISIBLE_DEVICES", Integer.toString(gpu.device()));
 *     ...
 * }
 * }</pre>
 */
public final class GpuSlots implements AutoCloseable {
    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);

    private final NamedSemaphore free;
    private final List<NamedSemaphore> devices;

    private GpuSlots(NamedSemaphore free, List<NamedSemaphore> devices) {
        this.free = free;
        this.devices = devices;
    }

    /**
     * Opens (or creates) the semaphores for {@code count} devices named {@code prefix-free} and
     * {@code prefix-0} .. {@code prefix-(count-1)}.
     *
     * @param prefix the names' common start
     * @param count how many devices there are
     * @return the slots; close them when done
     */
    public static GpuSlots open(String prefix, int count) {
        List<NamedSemaphore> devices = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                devices.add(NamedSemaphore.openOrCreate(prefix + "-" + i, 1, 1, CRASH_SAFE));
            }
            return new GpuSlots(NamedSemaphore.openOrCreate(prefix + "-free", count, count, CRASH_SAFE), devices);
        } catch (RuntimeException e) {
            devices.forEach(NamedSemaphore::close);
            throw e;
        }
    }

    /** A device held by this process until {@link #close()}. */
    public final class Slot implements AutoCloseable {
        private final int device;

        private Slot(int device) {
            this.device = device;
        }

        /**
         * The device number, e.g. for {@code CUDA_VISIBLE_DEVICES}.
         *
         * @return 0 to count - 1
         */
        public int device() {
            return device;
        }

        /** Gives the device back: first which, then how many. */
        @Override
        public void close() {
            devices.get(device).release();
            free.release();
        }
    }

    /**
     * Waits for a free device and takes it.
     *
     * @param timeout the longest wait
     * @return the device, to close when done
     * @throws TimeoutException when every device stayed busy
     * @throws InterruptedException if interrupted while waiting
     */
    public Slot take(Duration timeout) throws TimeoutException, InterruptedException {
        if (!free.tryAcquire(timeout)) {
            throw new TimeoutException("all " + devices.size() + " GPUs stayed busy for " + timeout);
        }
        // Holding one of the "free" permits guarantees that some device semaphore is free:
        // try each without waiting until one is ours.
        for (int i = 0; i < devices.size(); i++) {
            if (devices.get(i).tryAcquire()) {
                return new Slot(i);
            }
        }
        free.release();
        throw new IllegalStateException("no device free although " + free.name() + " said so: a process released"
                + " a device it did not take; repair with 'namedsem info' on each device");
    }

    @Override
    public void close() {
        devices.forEach(NamedSemaphore::close);
        free.close();
    }

    /**
     * Takes a GPU out of 2 and prints it: run several at once to see them share.
     *
     * @param args unused
     * @throws Exception if no GPU became free within a minute
     */
    public static void main(String[] args) throws Exception {
        try (var slots = open("example-gpu", 2);
             var gpu = slots.take(Duration.ofMinutes(1))) {
            System.out.println("CUDA_VISIBLE_DEVICES=" + gpu.device());
            Thread.sleep(2_000);
        }
    }
}
