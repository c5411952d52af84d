package io.github.namedsem.micrometer;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.Permit;
import io.github.namedsem.SemaphoreClosedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link NamedSemaphore} whose waits are measured, and a {@link MeterBinder} that publishes
 * them with the semaphore's state.
 *
 * <pre>{@code
 * var jobs = new InstrumentedSemaphore(NamedSemaphore.openOrCreate("jobs", 4, 4));
 * jobs.bindTo(registry);
 * try (var _ = jobs.permit(Duration.ofSeconds(30))) { ... }   // timed, or counted as a timeout
 * }</pre>
 *
 * <h2>Meters</h2>
 * All tagged {@code name} (the semaphore's {@link NamedSemaphore#name() name}) and {@code kind}
 * ({@code standard}, {@code crash-safe}), plus any tags given to the constructor:
 * <ul>
 *   <li>{@value #AVAILABLE} (gauge): {@link NamedSemaphore#availablePermits()} when scraped —
 *       machine-wide, whoever holds the permits; {@code NaN} once the handle is closed.
 *   <li>{@value #MAX} (gauge): {@link NamedSemaphore#maxPermits()}; registered only where it is
 *       known (not for a standard semaphore opened with {@code open} on Linux, where the OS
 *       records no maximum).
 *   <li>{@value #WAIT} (timer): how long each acquisition through this wrapper took, from the
 *       call until the permit was held; a free permit records a wait of about zero.
 *   <li>{@value #TIMEOUTS} (counter): timed acquisitions through this wrapper that ended
 *       without a permit ({@code tryAcquire(Duration)} returning {@code false}, {@code
 *       permit(Duration)} throwing {@link TimeoutException}).
 * </ul>
 *
 * <h2>Why a wrapper</h2>
 * The operating system reports neither how long a process waited nor that a wait gave up, so
 * waits can only be measured where they are made. Waits made on the wrapped {@link
 * NamedSemaphore} directly, or by other processes, are not in the timer or the counter; the
 * gauges show the state that all of them share. The measuring costs two {@link System#nanoTime()}
 * calls and one timer update per acquisition.
 *
 * <h2>Lost permits</h2>
 * A kind whose permits can be lost while held (the distributed kind, where a session can
 * expire) reports it through {@link Permit#onLost(Runnable)}; every permit taken through this
 * wrapper's {@code permit} methods counts in {@value #LOST} (counter) when that happens. The
 * local kinds never lose a held permit, so the counter stays at zero for them.
 *
 * <p>Thread-safe like the semaphore. {@link #close()} closes the wrapped handle.
 */
public final class InstrumentedSemaphore implements MeterBinder, AutoCloseable {
    /** Gauge of free permits. */
    public static final String AVAILABLE = "namedsem.permits.available";
    /** Gauge of the maximum number of permits. */
    public static final String MAX = "namedsem.permits.max";
    /** Timer of waits for a permit. */
    public static final String WAIT = "namedsem.permit.wait";
    /** Counter of timed waits that ended without a permit. */
    public static final String TIMEOUTS = "namedsem.permit.timeouts";
    /** Counter of permits lost while held (distributed kind: the session ended). */
    public static final String LOST = "namedsem.permits.lost";

    private final NamedSemaphore semaphore;
    private final Tags tags;
    // One of each per registry this was bound to.
    private final List<Timer> waits = new CopyOnWriteArrayList<>();
    private final List<Counter> timeouts = new CopyOnWriteArrayList<>();
    private final List<Counter> lost = new CopyOnWriteArrayList<>();

    /**
     * Wraps a handle, tagging its meters with its name and kind.
     *
     * @param semaphore the handle whose waits to measure; closed by {@link #close()}
     */
    public InstrumentedSemaphore(NamedSemaphore semaphore) {
        this(semaphore, Tags.empty());
    }

    /**
     * Wraps a handle, tagging its meters with its name, its kind and {@code extraTags}.
     *
     * @param semaphore the handle whose waits to measure; closed by {@link #close()}
     * @param extraTags further tags on every meter, e.g. the application's name
     */
    public InstrumentedSemaphore(NamedSemaphore semaphore, Iterable<Tag> extraTags) {
        this.semaphore = semaphore;
        this.tags = Tags.of("name", semaphore.name(), "kind", kindTag(semaphore)).and(extraTags);
    }

    private static String kindTag(NamedSemaphore semaphore) {
        return semaphore.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Registers this semaphore's meters. Binding to several registries is allowed; each gets
     * every meter. The gauges hold this wrapper weakly, as Micrometer's do: keep a reference to
     * it for as long as it should be reported.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(AVAILABLE, this, InstrumentedSemaphore::availableOrNaN)
                .tags(tags).description("Free permits of the named semaphore, machine-wide").register(registry);
        if (semaphore.maxPermits().isPresent()) {
            int max = semaphore.maxPermits().getAsInt();
            Gauge.builder(MAX, this, s -> max)
                    .tags(tags).description("Maximum permits of the named semaphore").register(registry);
        }
        waits.add(Timer.builder(WAIT).tags(tags)
                .description("Time from asking for a permit until holding it").register(registry));
        timeouts.add(Counter.builder(TIMEOUTS).tags(tags)
                .description("Timed waits for a permit that ended without one").register(registry));
        lost.add(Counter.builder(LOST).tags(tags)
                .description("Permits lost while held, such as by an ended ZooKeeper session").register(registry));
    }

    private double availableOrNaN() {
        try {
            return semaphore.availablePermits();
        } catch (SemaphoreClosedException e) {
            return Double.NaN;
        }
    }

    /**
     * The wrapped handle, for everything else; waits on it directly are not measured.
     *
     * @return the handle given to the constructor
     */
    public NamedSemaphore semaphore() {
        return semaphore;
    }

    /**
     * {@link NamedSemaphore#acquire()}, timed.
     *
     * @throws InterruptedException as {@link NamedSemaphore#acquire()}; not recorded
     */
    public void acquire() throws InterruptedException {
        long start = System.nanoTime();
        semaphore.acquire();
        recordWait(start);
    }

    /**
     * {@link NamedSemaphore#tryAcquire(Duration)}, timed when it gets a permit, counted as a
     * timeout when it does not.
     *
     * @param timeout the longest wait
     * @return whether a permit was acquired
     * @throws InterruptedException as {@link NamedSemaphore#tryAcquire(Duration)}; not recorded
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        if (semaphore.tryAcquire(timeout)) {
            recordWait(start);
            return true;
        }
        timeouts.forEach(Counter::increment);
        return false;
    }

    /**
     * {@link NamedSemaphore#permit()}, timed.
     *
     * @return the permit, to release with try-with-resources
     * @throws InterruptedException as {@link NamedSemaphore#permit()}; not recorded
     */
    public Permit permit() throws InterruptedException {
        long start = System.nanoTime();
        Permit permit = semaphore.permit();
        recordWait(start);
        return countWhenLost(permit);
    }

    /**
     * {@link NamedSemaphore#permit(Duration)}, timed when it gets a permit, counted as a
     * timeout when it does not.
     *
     * @param timeout the longest wait
     * @return the permit, to release with try-with-resources
     * @throws InterruptedException as {@link NamedSemaphore#permit(Duration)}; not recorded
     * @throws TimeoutException when no permit came within {@code timeout}; counted
     */
    public Permit permit(Duration timeout) throws InterruptedException, TimeoutException {
        long start = System.nanoTime();
        Permit permit;
        try {
            permit = semaphore.permit(timeout);
        } catch (TimeoutException e) {
            timeouts.forEach(Counter::increment);
            throw e;
        }
        recordWait(start);
        return countWhenLost(permit);
    }

    private Permit countWhenLost(Permit permit) {
        permit.onLost(() -> lost.forEach(Counter::increment));
        return permit;
    }

    /**
     * {@link NamedSemaphore#release()}.
     *
     * @return as {@link NamedSemaphore#release()}
     */
    public int release() {
        return semaphore.release();
    }

    private void recordWait(long start) {
        long nanos = System.nanoTime() - start;
        for (Timer timer : waits) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes the wrapped handle; the gauges then report {@code NaN}. */
    @Override
    public void close() {
        semaphore.close();
    }

    @Override
    public String toString() {
        return "InstrumentedSemaphore[" + semaphore + "]";
    }
}
