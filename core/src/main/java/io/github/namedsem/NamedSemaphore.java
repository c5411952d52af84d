package io.github.namedsem;

import io.github.namedsem.internal.Backend;
import io.github.namedsem.internal.SemaphoreHandle;
import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.internal.holders.HolderRegistry;
import io.github.namedsem.internal.holders.RecordingSemaphore;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A counting semaphore that lives in the operating system under a name, so that any process
 * on the machine, written in any language, can share it.
 *
 * <p>Where {@link java.util.concurrent.Semaphore} coordinates threads of one JVM, a
 * {@code NamedSemaphore} coordinates processes: at most N build jobs, GPU users or migrations
 * at once across the whole machine, or a hand-off between a Java service and a C, C++, Python
 * or .NET program. The methods are named and behave like {@code Semaphore}'s.
 * {@snippet :
 * try (var sem = NamedSemaphore.openOrCreate("gpu", 2, 2);
 *      var permit = sem.permit()) {
 *     train(); // at most two processes on this machine get here at once
 * }
 * }
 *
 * <h2>Names</h2>
 * One rule on every platform: an optional leading {@code /}, then 1 to 251 bytes of UTF-8
 * with no {@code /}, {@code \} or NUL, and not {@code .} or {@code ..}. {@code "jobs"} and
 * {@code "/jobs"} are the same semaphore, the one C opens with {@code sem_open("/jobs", ...)}
 * and Boost.Interprocess with {@code named_semaphore(open_only, "jobs")}; on Windows it is the
 * object {@code jobs} in the caller's session. On Windows only, a name may also start with
 * {@code Global\} (visible to all sessions) or {@code Local\}. Names are case-sensitive. Any
 * other name is refused with an {@link IllegalArgumentException} before the operating system
 * is called.
 *
 * <h2>Handles and lifetime</h2>
 * Each factory call returns a new handle. The semaphore outlives the handle: closing a handle
 * never changes the count and never removes the semaphore. On Linux the semaphore persists
 * until {@link #unlink(String)} or a reboot, even with no process using it; on Windows it is
 * destroyed with its last handle. Close handles with {@link #close()}, preferably through
 * try-with-resources; a handle that becomes unreachable unclosed is closed when it is
 * garbage-collected, at an unspecified time.
 *
 * <h2>Waiting</h2>
 * Platform threads wait in the operating system's own wait (the futex wait of glibc's
 * {@code sem_clockwait}, {@code WaitForSingleObject}, {@code semtimedop}) in slices of at most
 * 20 ms, at most 16 of one handle at a time; any more park in the JVM, first in first out, and
 * each takes the place of a waiter that leaves. So up to 16 threads compete for permits one by
 * one against other processes' waiters, and idle waiters for one permit cost what 16 do (waits
 * for several permits at once do not queue, and on glibc Linux each looks again at least every
 * millisecond, since glibc's protocol has no wait for several). The thread that wants a permit
 * is the one that takes it, so a wait that ends leaves no permit in flight. A virtual thread
 * does not wait in the operating system, since that would pin its carrier: virtual threads park
 * in a first-in-first-out queue per handle, and one platform thread per handle waits in the
 * operating system on their behalf and hands each permit it obtains to the first of them.
 * Consequences you can rely on:
 * <ul>
 *   <li>{@link Thread#interrupt()} ends {@link #acquire()} and timed waits with
 *       {@link InterruptedException}: at once for a virtual thread and a platform thread
 *       queued in the JVM, within one slice (20 ms) for one in the operating system's wait;
 *       on Windows add the system timer's granularity (about 16 ms by
 *       default), to which {@code WaitForSingleObject} rounds its timeouts, still well under
 *       100 ms. A permit is never taken without the caller knowing: if a permit
 *       arrives together with the interrupt, the method returns normally, holding it, with the
 *       interrupt status set.</li>
 *   <li>Timeouts are measured on the monotonic clock, so changing the wall clock neither
 *       stretches nor cuts them.</li>
 *   <li>A permit released by another process wakes the waiting side as soon as the kernel
 *       does; nothing polls (the slices only bound how long an interrupt or close takes to be
 *       noticed).</li>
 *   <li>Virtual threads waiting on a semaphore park like on any {@code java.util.concurrent}
 *       lock: 10,000 of them occupy no carrier threads.</li>
 *   <li>{@link #close()} during a wait never crashes the JVM; waiting threads get a
 *       {@link SemaphoreClosedException} promptly (at once, platform threads in the
 *       operating system's wait within one slice).</li>
 * </ul>
 * Like {@code Semaphore}'s default, the semaphore is not fair: a {@link #tryAcquire()} may take
 * a free permit ahead of threads already queued, and across processes the kernel decides who
 * is woken first.
 *
 * <h2>Crashes</h2>
 * With the {@link SemaphoreKind#STANDARD standard} kind, a process that dies while holding
 * permits does not give them back: the semaphore has fewer permits from then on, until
 * somebody releases them or recreates the semaphore. With the
 * {@link SemaphoreKind#CRASH_SAFE crash-safe} kind (Linux), the kernel gives back every permit
 * a process still holds when it exits, however it exits; in return, a permit must be released
 * by the process that acquired it.
 *
 * <h2>Thread safety and memory consistency</h2>
 * All methods may be called from any thread at any time, {@link #close()} included.
 *
 * <p>Memory consistency effects: within one JVM, actions in a thread prior to calling a
 * "release" method such as {@link #release()} <i>happen-before</i> actions following a
 * successful "acquire" method such as {@link #acquire()} in another thread that obtained the
 * permit so released, as with {@link java.util.concurrent.Semaphore}: every kind changes the
 * count with an atomic read-modify-write that the kernel or the CPU orders. Between processes
 * no Java memory model applies; what another process wrote to shared memory or files before its
 * release is visible after the acquire to the extent that its language and the OS order it
 * (for C, POSIX says the semaphore calls synchronize memory).
 *
 * <h2>Kinds</h2>
 * Where the kinds differ (maximum, the count {@code release} returns, system calls, what
 * {@code unlink} does, who may release, crashes, limits) the methods below link to the
 * <a href="SemaphoreKind.html#kinds">table in SemaphoreKind</a>.
 */
public final class NamedSemaphore implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final SemaphoreName name;
    private final SemaphoreKind kind;
    private final Backend backend;
    private final boolean created;
    // All mechanics live in the handle, which is also what the cleaner runs: it holds nothing
    // that leads back to this object, so an unclosed NamedSemaphore can still be collected.
    private final SemaphoreHandle handle;
    private final Cleaner.Cleanable cleanable;

    private NamedSemaphore(SemaphoreName name, SemaphoreKind kind, Backend backend, Backend.Opened opened) {
        this.name = name;
        this.kind = kind;
        this.backend = backend;
        this.created = opened.created();
        this.handle = new SemaphoreHandle(name, kind, opened.semaphore());
        this.cleanable = CLEANER.register(this, handle);
    }

    // ---------------------------------------------------------------- factories

    /**
     * Creates a semaphore with {@code permits} free permits and the same maximum, failing if
     * the name exists. This is the usual way to create a semaphore that limits concurrency to
     * {@code permits}.
     *
     * @param name the name; see "Names" above
     * @param permits the initial and maximum count, at least 1
     * @return a new handle to the new semaphore
     * @throws IllegalArgumentException if the name breaks the naming rule or {@code permits} is
     *     less than 1 or above the platform's limit; nothing is created
     * @throws SemaphoreExistsException if a semaphore of that name exists; it is left as it was
     * @throws SemaphoreAccessDeniedException if the OS does not let this process create it
     * @throws NamedSemaphoreException if the OS refuses for another reason, such as a limit on
     *     open files
     */
    public static NamedSemaphore create(String name, int permits) {
        return create(name, permits, permits, SemaphoreOptions.defaults());
    }

    /**
     * Creates a semaphore of the given kind and mode with {@code permits} free permits and the
     * same maximum, failing if the name exists.
     *
     * @param name the name; see "Names" above
     * @param permits the initial and maximum count, at least 1
     * @param options the kind, and the mode of the new semaphore
     * @return a new handle to the new semaphore
     * @throws IllegalArgumentException if the name breaks the naming rule or {@code permits} is
     *     out of range for the kind; nothing is created
     * @throws UnsupportedOperationException if this platform does not offer the kind
     * @throws SemaphoreExistsException if a semaphore of that name exists; it is left as it was
     * @throws SemaphoreAccessDeniedException if the OS does not let this process create it
     * @throws NamedSemaphoreException if the OS refuses for another reason
     */
    public static NamedSemaphore create(String name, int permits, SemaphoreOptions options) {
        return create(name, permits, permits, options);
    }

    /**
     * Creates a semaphore with {@code initialPermits} free permits and a maximum of
     * {@code maxPermits}, failing if the name exists.
     *
     * @param name the name; see "Names" above
     * @param initialPermits the count to start with, 0 to {@code maxPermits}
     * @param maxPermits the maximum count, at least 1; see {@link #release(int)} for how each
     *     platform enforces it
     * @return a new handle to the new semaphore
     * @throws IllegalArgumentException if the name breaks the naming rule or the counts are
     *     out of range; nothing is created
     * @throws SemaphoreExistsException if a semaphore of that name exists; it is left as it was
     * @throws SemaphoreAccessDeniedException if the OS does not let this process create it
     * @throws NamedSemaphoreException if the OS refuses for another reason
     */
    public static NamedSemaphore create(String name, int initialPermits, int maxPermits) {
        return create(name, initialPermits, maxPermits, SemaphoreOptions.defaults());
    }

    /**
     * Creates a semaphore of the given kind and mode, failing if the name exists.
     *
     * @param name the name; see "Names" above
     * @param initialPermits the count to start with, 0 to {@code maxPermits}
     * @param maxPermits the maximum count, at least 1
     * @param options the kind, and the mode of the new semaphore
     * @return a new handle to the new semaphore
     * @throws IllegalArgumentException if the name breaks the naming rule or the counts are
     *     out of range; nothing is created
     * @throws UnsupportedOperationException if this platform does not offer the kind
     * @throws SemaphoreExistsException if a semaphore of that name exists; it is left as it was
     * @throws SemaphoreAccessDeniedException if the OS does not let this process create it
     * @throws NamedSemaphoreException if the OS refuses for another reason
     */
    public static NamedSemaphore create(String name, int initialPermits, int maxPermits, SemaphoreOptions options) {
        return createOrOpen(name, initialPermits, maxPermits, options, false);
    }

    /**
     * Opens an existing semaphore of the standard kind.
     *
     * <p>On Linux the operating system does not record a maximum, so a handle from
     * {@code open} has none ({@link #maxPermits()} is empty) and releases are limited only by
     * {@code SEM_VALUE_MAX}. Use {@link #openOrCreate(String, int, int)} to state the maximum.
     *
     * @param name the name; see "Names" above
     * @return a new handle
     * @throws IllegalArgumentException if the name breaks the naming rule
     * @throws NoSuchSemaphoreException if no semaphore has that name
     * @throws SemaphoreAccessDeniedException if its permissions do not let this process open it
     * @throws NamedSemaphoreException if the OS refuses for another reason
     */
    public static NamedSemaphore open(String name) {
        return open(name, SemaphoreOptions.defaults());
    }

    /**
     * Opens an existing semaphore of the given kind. The mode in {@code options} is not used.
     *
     * @param name the name; see "Names" above
     * @param options the kind
     * @return a new handle
     * @throws IllegalArgumentException if the name breaks the naming rule
     * @throws UnsupportedOperationException if this platform does not offer the kind
     * @throws NoSuchSemaphoreException if no semaphore has that name
     * @throws SemaphoreAccessDeniedException if its permissions do not let this process open it
     * @throws NamedSemaphoreException if the OS refuses for another reason
     */
    public static NamedSemaphore open(String name, SemaphoreOptions options) {
        Backend backend = Backends.forOptions(options);
        SemaphoreName checked = backend.name(name);
        return checkedOwner(new NamedSemaphore(checked, options.kind(), backend,
                recording(new Backend.Opened(backend.open(checked), false), checked, options)), options);
    }

    /**
     * Opens the semaphore of that name, creating it first if it does not exist; safe when
     * several processes race to be first. {@link #created()} tells which happened.
     *
     * <p>When the semaphore exists, its count is left as it is ({@code initialPermits} is not
     * applied). On Linux, {@code maxPermits} is the maximum this handle enforces on its own
     * releases. On Windows the kernel keeps the maximum the creator gave and enforces it for
     * every handle; this call's {@code maxPermits} is then ignored, and {@link #maxPermits()}
     * reports the creator's.
     *
     * @param name the name; see "Names" above
     * @param initialPermits the count if this call creates it, 0 to {@code maxPermits}
     * @param maxPermits the maximum count, at least 1
     * @return a new handle
     * @throws IllegalArgumentException if the name breaks the naming rule or the counts are
     *     out of range; nothing is created
     * @throws SemaphoreAccessDeniedException if the OS does not let this process create or
     *     open it
     * @throws NamedSemaphoreException if the OS refuses for another reason
     */
    public static NamedSemaphore openOrCreate(String name, int initialPermits, int maxPermits) {
        return openOrCreate(name, initialPermits, maxPermits, SemaphoreOptions.defaults());
    }

    /**
     * Opens or creates a semaphore of the given kind and mode; see
     * {@link #openOrCreate(String, int, int)}.
     *
     * @param name the name; see "Names" above
     * @param initialPermits the count if this call creates it
     * @param maxPermits the maximum count, at least 1
     * @param options the kind, and the mode if this call creates it
     * @return a new handle
     * @throws IllegalArgumentException if the name breaks the naming rule or the counts are
     *     out of range; nothing is created
     * @throws UnsupportedOperationException if this platform does not offer the kind
     * @throws SemaphoreAccessDeniedException if the OS does not let this process create or
     *     open it
     * @throws NamedSemaphoreException if the OS refuses for another reason
     */
    public static NamedSemaphore openOrCreate(String name, int initialPermits, int maxPermits,
                                              SemaphoreOptions options) {
        return createOrOpen(name, initialPermits, maxPermits, options, true);
    }

    /**
     * Removes a standard-kind semaphore's name. Handles that are open keep working, and the
     * semaphore is destroyed when the last one closes; a later {@code open} by that name fails,
     * and a later {@code create} makes a new, unrelated semaphore.
     *
     * <p>On Windows, where a semaphore exists exactly as long as some process has a handle to
     * it, there is nothing to remove: this changes nothing and returns {@code false}. The
     * semaphore and its name go away when the last handle, in any process, is closed.
     *
     * @param name the name; see "Names" above
     * @return {@code true} if a semaphore of that name was removed, {@code false} if there was
     *     none
     * @throws IllegalArgumentException if the name breaks the naming rule
     * @throws SemaphoreAccessDeniedException if this process may not remove it
     * @throws NamedSemaphoreException if the OS refuses for another reason
     */
    public static boolean unlink(String name) {
        return unlink(name, SemaphoreOptions.defaults());
    }

    /**
     * Removes the name of a semaphore of the given kind; see {@link #unlink(String)}.
     *
     * @param name the name; see "Names" above
     * @param options the kind
     * @return {@code true} if a semaphore of that name was removed, {@code false} if there was
     *     none
     * @throws IllegalArgumentException if the name breaks the naming rule
     * @throws UnsupportedOperationException if this platform does not offer the kind
     * @throws SemaphoreAccessDeniedException if this process may not remove it
     * @throws NamedSemaphoreException if the OS refuses for another reason
     */
    public static boolean unlink(String name, SemaphoreOptions options) {
        Backend backend = Backends.forOptions(options);
        SemaphoreName checked = backend.name(name);
        boolean removed = backend.unlink(checked);
        if (HolderRegistry.supported()) {
            HolderRegistry.forgetDead(options.kind(), checked);
        }
        return removed;
    }

    private static NamedSemaphore createOrOpen(String name, int initialPermits, int maxPermits,
                                               SemaphoreOptions options, boolean openIfExists) {
        Objects.requireNonNull(options, "options");
        Backend backend = Backends.forOptions(options);
        SemaphoreName checked = backend.name(name);
        checkCounts(checked, initialPermits, maxPermits, backend.maxPermitsLimit());
        Backend.Opened opened = backend.create(checked, initialPermits, maxPermits, options.mode(), openIfExists);
        return checkedOwner(new NamedSemaphore(checked, options.kind(), backend, recording(opened, checked, options)), options);
    }

    /** Applies {@link SemaphoreOptions#refuseForeignOwner(boolean)}: closes and throws on refusal. */
    private static NamedSemaphore checkedOwner(NamedSemaphore sem, SemaphoreOptions options) {
        if (!options.refusesForeignOwner() || sem.created || sem.handle.ownedByCaller()) {
            return sem;
        }
        OptionalInt owner = sem.handle.ownerUid();
        sem.close();
        String n = sem.osName();
        if (owner.isEmpty()) {
            throw new UnsupportedOperationException("Cannot check who owns semaphore " + n + ": " + sem.kind
                    + " semaphores on this platform record no file owner; drop refuseForeignOwner(true) for them");
        }
        throw new SemaphoreAccessDeniedException("Semaphore " + n + " is owned by uid "
                + Integer.toUnsignedString(owner.getAsInt()) + ", not by this process's user, and the options refuse"
                + " foreign owners; it was left as it was. If another user created the name first (squatting),"
                + " remove it (as root or that user: namedsem unlink " + sem.name() + ") or choose another name;"
                + " if sharing with that user is intended, drop refuseForeignOwner(true).",
                sem.name(), n, sem.kind, 0, null);
    }

    /** With {@link SemaphoreOptions#recordHolders(boolean)}, every permit taken or given back is recorded. */
    private static Backend.Opened recording(Backend.Opened opened, SemaphoreName name, SemaphoreOptions options) {
        // A distributed semaphore's holders are cluster sessions on many machines, not files here.
        if (!options.recordHolders() || options.kind() == SemaphoreKind.DISTRIBUTED || !HolderRegistry.supported()) {
            return opened;
        }
        return new Backend.Opened(new RecordingSemaphore(opened.semaphore(), options.kind(), name,
                options.holderCommand()), opened.created());
    }

    private static void checkCounts(SemaphoreName name, int initialPermits, int maxPermits, int limit) {
        String problem = null;
        if (maxPermits < 1) {
            problem = "maxPermits is " + maxPermits + " but must be at least 1";
        } else if (maxPermits > limit) {
            problem = "maxPermits is " + maxPermits + " but this platform allows at most " + limit;
        } else if (initialPermits < 0) {
            problem = "initialPermits is " + initialPermits + " but must not be negative";
        } else if (initialPermits > maxPermits) {
            problem = "initialPermits (" + initialPermits + ") exceeds maxPermits (" + maxPermits + ")";
        }
        if (problem != null) {
            throw new IllegalArgumentException("Cannot create semaphore " + SemaphoreName.quote(name.portable())
                    + ": " + problem + "; nothing was created");
        }
    }

    // ---------------------------------------------------------------- acquiring

    /**
     * Acquires a permit, waiting until one is free or the thread is interrupted.
     *
     * @throws InterruptedException if the thread is interrupted on entry or while waiting; no
     *     permit is then held. If a permit is handed over at the same moment as the interrupt,
     *     the method returns normally, holding it, with the interrupt status set.
     * @throws SemaphoreClosedException if this handle is closed, before or during the wait
     * @throws NamedSemaphoreException if the native wait fails
     */
    public void acquire() throws InterruptedException {
        acquire(1);
    }

    /**
     * Acquires {@code permits} permits in one atomic step, waiting until that many are free or
     * the thread is interrupted: either all are taken or none. Useful for budgets, such as a
     * semaphore whose 80 permits stand for 80 GB of GPU memory.
     *
     * <p>Only kinds that take several permits in one operation offer this (see the
     * <a href="SemaphoreKind.html#kinds">table</a>); the others throw rather than loop, since
     * a loop could hold some permits while waiting for the rest and deadlock with another.
     * A waiter for many permits is not overtaken by waiters for fewer in the same JVM's queue
     * (virtual threads), but other processes and platform threads may take free permits first.
     *
     * @param permits how many, at least 1
     * @throws IllegalArgumentException if {@code permits} is less than 1
     * @throws UnsupportedOperationException if {@code permits > 1} and this kind cannot take
     *     several permits atomically on this platform
     * @throws InterruptedException as for {@link #acquire()}; no permit is then held
     * @throws SemaphoreClosedException if this handle is closed, before or during the wait
     * @throws NamedSemaphoreException if the native wait fails
     */
    public void acquire(int permits) throws InterruptedException {
        checkPermits(permits, "acquire");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            if (!handle.tryAcquire(permits)) {
                handle.await(permits, false, 0L, true);
            }
        } finally {
            // The cleaner must not close the handle under a call in progress: this object
            // stays reachable until the call returns, even if the caller dropped it.
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Acquires a permit, waiting until one is free, and ignoring interrupts. An interrupt
     * during the wait is remembered: the interrupt status is set when the method returns.
     *
     * @throws SemaphoreClosedException if this handle is closed, before or during the wait
     * @throws NamedSemaphoreException if the native wait fails
     */
    public void acquireUninterruptibly() {
        try {
            if (!handle.tryAcquire(1)) {
                handle.await(1, false, 0L, false);
            }
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Acquires a permit if one is free now, without waiting. Allocates nothing when
     * uncontended; whether it makes a system call depends on the kind (none for the standard
     * kind on Linux, one on Windows and for the crash-safe kind: see the
     * <a href="SemaphoreKind.html#kinds">table</a>).
     *
     * @return {@code true} if a permit was acquired
     * @throws SemaphoreClosedException if this handle is closed
     */
    public boolean tryAcquire() {
        try {
            return handle.tryAcquire(1);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Acquires {@code permits} permits in one atomic step if that many are free now, without
     * waiting; see {@link #acquire(int)} for which kinds offer it.
     *
     * @param permits how many, at least 1
     * @return {@code true} if all were acquired, {@code false} if none was
     * @throws IllegalArgumentException if {@code permits} is less than 1
     * @throws UnsupportedOperationException if {@code permits > 1} and this kind cannot take
     *     several permits atomically on this platform
     * @throws SemaphoreClosedException if this handle is closed
     */
    public boolean tryAcquire(int permits) {
        checkPermits(permits, "acquire");
        try {
            return handle.tryAcquire(permits);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Acquires a permit, waiting at most {@code timeout} for one.
     *
     * @param timeout how long to wait; zero or negative means do not wait
     * @return {@code true} if a permit was acquired, {@code false} if the timeout passed
     *     without one (then no permit is held)
     * @throws InterruptedException if the thread is interrupted on entry or while waiting; no
     *     permit is then held
     * @throws SemaphoreClosedException if this handle is closed, before or during the wait
     * @throws NamedSemaphoreException if the native wait fails
     */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        return tryAcquireNanos(1, saturatedNanos(timeout));
    }

    /**
     * Acquires {@code permits} permits in one atomic step, waiting at most {@code timeout} for
     * that many; see {@link #acquire(int)} for which kinds offer it.
     *
     * @param permits how many, at least 1
     * @param timeout how long to wait; zero or negative means do not wait
     * @return {@code true} if all were acquired, {@code false} if the timeout passed (then
     *     none is held)
     * @throws IllegalArgumentException if {@code permits} is less than 1
     * @throws UnsupportedOperationException if {@code permits > 1} and this kind cannot take
     *     several permits atomically on this platform
     * @throws InterruptedException as for {@link #tryAcquire(Duration)}
     * @throws SemaphoreClosedException if this handle is closed, before or during the wait
     * @throws NamedSemaphoreException if the native wait fails
     */
    public boolean tryAcquire(int permits, Duration timeout) throws InterruptedException {
        checkPermits(permits, "acquire");
        return tryAcquireNanos(permits, saturatedNanos(timeout));
    }

    /**
     * Acquires a permit, waiting at most the given time for one; the same as
     * {@link #tryAcquire(Duration)}.
     *
     * @param timeout how long to wait; zero or negative means do not wait
     * @param unit the unit of {@code timeout}
     * @return {@code true} if a permit was acquired, {@code false} if the timeout passed
     * @throws InterruptedException if the thread is interrupted on entry or while waiting; no
     *     permit is then held
     * @throws SemaphoreClosedException if this handle is closed, before or during the wait
     * @throws NamedSemaphoreException if the native wait fails
     */
    public boolean tryAcquire(long timeout, TimeUnit unit) throws InterruptedException {
        return tryAcquireNanos(1, unit.toNanos(timeout));
    }

    private boolean tryAcquireNanos(int permits, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            return handle.tryAcquire(permits) || handle.await(permits, true, nanos, true);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private void checkPermits(int permits, String verb) {
        if (permits < 1) {
            throw new IllegalArgumentException("Cannot " + verb + " " + permits + " permits on semaphore "
                    + osName() + ": the count must be at least 1");
        }
    }

    /**
     * Acquires a permit, waiting as {@link #acquire()} does, and returns it as a
     * {@link Permit} whose {@code close()} releases it: use it in try-with-resources.
     *
     * @return the held permit
     * @throws InterruptedException if interrupted before a permit was acquired
     * @throws SemaphoreClosedException if this handle is closed, before or during the wait
     * @throws NamedSemaphoreException if the native wait fails
     */
    public Permit permit() throws InterruptedException {
        return permit(1);
    }

    /**
     * Acquires {@code permits} permits as {@link #acquire(int)} does and returns them as one
     * {@link Permit} whose {@code close()} releases them all.
     *
     * @param permits how many, at least 1
     * @return the held permits
     * @throws IllegalArgumentException if {@code permits} is less than 1
     * @throws UnsupportedOperationException if {@code permits > 1} and this kind cannot take
     *     several permits atomically on this platform
     * @throws InterruptedException if interrupted before the permits were acquired
     * @throws SemaphoreClosedException if this handle is closed, before or during the wait
     * @throws NamedSemaphoreException if the native wait fails
     */
    public Permit permit(int permits) throws InterruptedException {
        if (permits == 1 && handle.cluster() != null) {
            return leased(false, 0L);
        }
        acquire(permits);
        return new Permit(this, permits);
    }

    /**
     * Acquires a permit, waiting at most {@code timeout}, and returns it as a {@link Permit}.
     *
     * @param timeout how long to wait; zero or negative means do not wait
     * @return the held permit
     * @throws TimeoutException if no permit became free in time; none is held
     * @throws InterruptedException if interrupted before a permit was acquired
     * @throws SemaphoreClosedException if this handle is closed, before or during the wait
     * @throws NamedSemaphoreException if the native wait fails
     */
    public Permit permit(Duration timeout) throws InterruptedException, TimeoutException {
        return permit(1, timeout);
    }

    /**
     * Acquires {@code permits} permits as {@link #tryAcquire(int, Duration)} does and returns
     * them as one {@link Permit}.
     *
     * @param permits how many, at least 1
     * @param timeout how long to wait; zero or negative means do not wait
     * @return the held permits
     * @throws IllegalArgumentException if {@code permits} is less than 1
     * @throws UnsupportedOperationException if {@code permits > 1} and this kind cannot take
     *     several permits atomically on this platform
     * @throws TimeoutException if that many did not become free in time; none is held
     * @throws InterruptedException if interrupted before the permits were acquired
     * @throws SemaphoreClosedException if this handle is closed, before or during the wait
     * @throws NamedSemaphoreException if the native wait fails
     */
    public Permit permit(int permits, Duration timeout) throws InterruptedException, TimeoutException {
        Permit permit = permits == 1 && handle.cluster() != null
                ? leased(true, saturatedNanos(timeout))
                : tryAcquire(permits, timeout) ? new Permit(this, permits) : null;
        if (permit == null) {
            throw new TimeoutException((permits == 1 ? "No permit" : permits + " permits") + " of semaphore "
                    + osName() + " became free within " + timeout + "; " + availablePermits() + " free now");
        }
        return permit;
    }

    /** A distributed permit is one slot in the cluster, which the Permit must own. */
    private Permit leased(boolean timed, long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        try {
            var lease = handle.cluster().lease(timed, nanos, true);
            return lease == null ? null : new Permit(this, lease);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    // ---------------------------------------------------------------- releasing and state

    /**
     * Releases one permit; the same as {@code release(1)}.
     *
     * @return the count just before this release; see {@link #release(int)} for its precision
     * @throws PermitLimitExceededException if the count is at its maximum; nothing is released
     * @throws SemaphoreClosedException if this handle is closed
     */
    public int release() {
        return release(1);
    }

    /**
     * Releases {@code permits} permits, waking as many waiters, in any process.
     *
     * <p>As with {@code Semaphore}, nothing requires the releasing process to have acquired
     * the permits; releasing permits that nobody acquired raises the semaphore's capacity.
     *
     * <p>The maximum and the returned count differ by platform:
     * <ul>
     *   <li><b>Windows</b>: the kernel enforces the maximum given at creation, for every
     *       process, atomically; the returned previous count is exact.</li>
     *   <li><b>Crash-safe kind</b> (Linux): the maximum is exact and atomic for every process:
     *       the count and the headroom to the maximum change in one {@code semop}. The
     *       returned count is read just before (a snapshot): System V offers no atomic
     *       "previous value".</li>
     *   <li><b>Linux, standard kind</b>: POSIX semaphores have no maximum; the kernel only refuses to pass
     *       {@code SEM_VALUE_MAX} (2<sup>31</sup>-1). This handle checks the maximum it knows
     *       ({@link #maxPermits()}) against the count read just before posting. The check is
     *       a convenience, not a guarantee: it is not atomic with the post, so two processes
     *       releasing at once can both pass it, and it does not bind other processes or
     *       handles. The returned count is that same snapshot.</li>
     * </ul>
     *
     * @param permits how many permits to release, at least 1
     * @return the number of free permits just before this release (exact on Windows, a
     *     snapshot on Linux)
     * @throws IllegalArgumentException if {@code permits} is less than 1
     * @throws PermitLimitExceededException if the count would pass the maximum; nothing is
     *     released
     * @throws IllegalStateException for a {@link SemaphoreKind#CRASH_SAFE crash-safe}
     *     semaphore, if this process holds fewer than {@code permits} of it: the kernel undoes
     *     each process's own operations when it exits, so permits must be released by the
     *     process that acquired them; nothing is released. For a
     *     {@link SemaphoreKind#DISTRIBUTED distributed} semaphore, likewise if this handle holds
     *     fewer than {@code permits} taken with {@code acquire}/{@code tryAcquire} (a
     *     {@link Permit}'s slot is released by closing it)
     * @throws SemaphoreRemovedException if a crash-safe or distributed semaphore was removed
     *     meanwhile
     * @throws PermitLostException for a {@link SemaphoreKind#DISTRIBUTED distributed}
     *     semaphore, if a permit being released was lost meanwhile (the session ended); the
     *     others are released
     * @throws SemaphoreUnavailableException for a distributed semaphore, if the cluster
     *     cannot be reached
     * @throws SemaphoreClosedException if this handle is closed
     */
    public int release(int permits) {
        checkPermits(permits, "release");
        try {
            return handle.release(permits);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The number of free permits now, without taking any. Other processes may change it at
     * any moment, so use it for monitoring, not to decide whether to acquire.
     *
     * @return the count, never negative
     * @throws SemaphoreClosedException if this handle is closed
     */
    public int availablePermits() {
        try {
            return handle.availablePermits();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The maximum count this handle knows and enforces.
     *
     * @return the maximum given to {@code create} or {@code openOrCreate}; for a Windows or a
     *     crash-safe semaphore the one the OS recorded at creation, whoever created it; empty
     *     for a standard Linux handle from {@link #open(String)}, because POSIX semaphores
     *     record none
     */
    public OptionalInt maxPermits() {
        return handle.maxPermits();
    }

    /**
     * The numeric user id that owns the semaphore, as found when this handle opened it.
     *
     * <p>Why it matters: {@code /dev/shm} is shared by every user, so any user can create a
     * name first ("squatting"), with mode {@code 0666}, and {@link #openOrCreate} then opens
     * that user's semaphore instead of creating one: its owner can change the count, unlink
     * it, or damage the file at any time. Compare this value with the expected owner, or use
     * {@link SemaphoreOptions#refuseForeignOwner(boolean)}.
     *
     * @return the owner's uid for a standard Linux semaphore; empty where the kind records no
     *     file owner (Windows, crash-safe)
     */
    public OptionalInt ownerUid() {
        return handle.ownerUid();
    }

    /**
     * The portable name, without a leading slash.
     *
     * @return for example {@code "jobs"}, whether the handle was opened as {@code "jobs"} or
     *     {@code "/jobs"}
     */
    public String name() {
        return name.portable();
    }

    /**
     * The name as the operating system knows it, for use with other tools and languages.
     *
     * @return for example {@code "/jobs"} on Linux
     */
    public String osName() {
        return handle.osName();
    }

    /**
     * The kind of this semaphore.
     *
     * @return the kind it was created or opened as
     */
    public SemaphoreKind kind() {
        return kind;
    }

    /**
     * Whether the call that returned this handle created the semaphore.
     *
     * @return {@code true} from {@code create}, and from {@code openOrCreate} when it created
     *     the semaphore; {@code false} when an existing one was opened
     */
    public boolean created() {
        return created;
    }

    /**
     * Whether {@link #close()} has been called (or the handle was cleaned after becoming
     * unreachable).
     *
     * @return {@code true} once closing has begun
     */
    public boolean isClosed() {
        return handle.isClosed();
    }

    // ---------------------------------------------------------------- holders

    /**
     * Who holds and who waits for this semaphore, as far as the operating system and the holder
     * registry tell: see {@link HolderReport} for what each kind can know. Holders are the
     * processes that opened the semaphore with {@link SemaphoreOptions#recordHolders(boolean)};
     * each is checked against the process table, so a holder that died (even by
     * {@code kill -9}) shows as {@link SemaphoreHolder.State#DEAD}. Never changes the count.
     *
     * @return the report; its holder list is empty where nothing is recorded (Windows)
     * @throws SemaphoreClosedException if this handle is closed
     * @throws NamedSemaphoreException if the OS refuses to report waiters
     */
    public HolderReport holders() {
        try {
            return handle.inspect(semaphore -> HolderRegistry.report(kind, name, semaphore));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Opens a semaphore, reports its holders as {@link #holders()} does, and closes it.
     *
     * @param name the name
     * @param options the kind
     * @return the report
     * @throws NoSuchSemaphoreException if no semaphore has that name
     * @throws NamedSemaphoreException if the OS refuses to open it
     */
    public static HolderReport holders(String name, SemaphoreOptions options) {
        try (NamedSemaphore sem = open(name, options.recordHolders(false))) {
            return sem.holders();
        }
    }

    /**
     * Gives back the permits of recorded holders that have died: the repair for a standard
     * semaphore whose holder was killed while holding permits. Only records that prove the
     * holder dead count: the process no longer exists, or its pid now belongs to a process that
     * started later; and only records written by the current user or by the semaphore's owner
     * (anyone else could plant a record to have permits added). Each record is claimed
     * atomically, so two repairs at once never give back one holder's permits twice; a record
     * is removed before its permits are released, so a repair that dies in between loses them
     * rather than adding them twice.
     *
     * <p>For the crash-safe kind the kernel gave a dead holder's permits back when it exited:
     * its records are removed and nothing is released.
     *
     * <p>Permits taken by processes that do not record themselves cannot be told from free
     * ones and are never touched. Use {@link #holders()} first for a dry run:
     * {@link HolderReport#deadPermits()} is what this would give back.
     *
     * @return the dead holders whose records were removed (and, for the standard kind, whose
     *     permits were released)
     * @throws SemaphoreClosedException if this handle is closed
     * @throws PermitLimitExceededException if giving a holder's permits back would pass the
     *     maximum (its record is gone: the count was repaired by someone else)
     */
    public List<SemaphoreHolder> releaseDeadHolders() {
        try {
            return handle.inspect(semaphore -> HolderRegistry.repair(kind, name, semaphore));
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Removes this semaphore's name, as {@link #unlink(String, SemaphoreOptions)} does for its
     * kind. What happens to open handles depends on the kind (see the
     * <a href="SemaphoreKind.html#kinds">table</a>): a standard-kind handle on Linux keeps working
     * on the now nameless semaphore until closed; a crash-safe handle, here and in every other
     * process, gets {@link SemaphoreRemovedException} from then on; on Windows nothing changes.
     *
     * @return {@code true} if the name was removed, {@code false} if it was already gone
     * @throws SemaphoreAccessDeniedException if this process may not remove it
     * @throws NamedSemaphoreException if the OS refuses for another reason
     */
    public boolean unlink() {
        try {
            boolean removed = backend.unlink(name);
            if (HolderRegistry.supported()) {
                HolderRegistry.forgetDead(kind, name);
            }
            return removed;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Closes this handle. Idempotent: only the first call has an effect.
     *
     * <p>Threads waiting on this handle end their wait with {@link SemaphoreClosedException},
     * holding no permit (at once, platform threads in the operating system's wait within one
     * 20 ms slice);
     * later calls on the handle throw the same. The native handle is released once no thread
     * is inside a native call with it, which takes at most about 20 ms; this method returns
     * after that. Permits
     * acquired through this handle stay taken (they belong to the semaphore, not the handle),
     * and the semaphore itself is neither changed nor removed.
     *
     * @throws NamedSemaphoreException if the OS reports an error closing the native handle
     */
    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "NamedSemaphore[" + osName() + ", " + kind + (isClosed() ? ", closed]" : "]");
    }
}
