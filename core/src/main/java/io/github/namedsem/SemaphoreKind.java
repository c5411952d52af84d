package io.github.namedsem;

/**
 * Which operating-system mechanism backs a {@link NamedSemaphore}.
 *
 * <p>Every kind offers the same {@link NamedSemaphore} API; they differ in who else can open
 * the semaphore and in what happens when a holder dies. Choose one with
 * {@link SemaphoreOptions#kind(SemaphoreKind)}; code that uses the semaphore stays the same.
 */
public enum SemaphoreKind {
    /**
     * The operating system's standard named semaphore: a POSIX named semaphore
     * ({@code sem_open}) on Linux, a semaphore object ({@code CreateSemaphoreExW}) on Windows.
     *
     * <p>Any program that uses the platform's own API opens the same semaphore by the same
     * name: C, C++ (including Boost.Interprocess), Python, Rust, .NET. A process that dies
     * while holding a permit does not give it back; see the README's "Faults" section for how
     * to detect and repair that.
     */
    STANDARD,

    /**
     * A System V semaphore set (Linux) whose every acquire and release is made with
     * {@code SEM_UNDO}: when a process exits, however it exits ({@code kill -9} included), the
     * kernel gives back every permit it still held.
     *
     * <p>The price: permits must be released by the process that acquired them (namedsem
     * refuses other releases), every operation is a system call, the count is at most 32767,
     * and other languages open it by its System V key rather than by name (see the README's
     * "Crash-safe semaphores"). The maximum is exact and atomic for every process.
     */
    CRASH_SAFE,

    /**
     * A semaphore kept by a cluster (Apache ZooKeeper, through the module
     * {@code io.github.namedsem:namedsem-zookeeper}), shared by processes on many machines.
     * Select it with {@link SemaphoreOptions#cluster(io.github.namedsem.spi.SemaphoreCluster)};
     * asking for this kind without a cluster fails, naming that module.
     *
     * <p>The maximum is stored once with the semaphore and enforced for every handle (a handle
     * opened with another maximum is refused); a semaphore starts with all its permits free.
     * Permits belong to the holder's session with the cluster and come back when it ends
     * (process exit, crash, {@code kill -9}, or a network partition longer than the session
     * timeout), like {@link #CRASH_SAFE}; so {@code release(n)} gives back only permits this
     * handle acquired. Every operation is a network round trip: {@code tryAcquire()} throws
     * {@link SemaphoreUnavailableException} when the cluster cannot be reached rather than
     * returning {@code false}. A {@link Permit} reports whether it is still held
     * ({@link Permit#state()}, {@link Permit#onLost(Runnable)}) and carries a fencing
     * {@linkplain Permit#token() token} and its {@linkplain Permit#slot() slot}.
     */
    DISTRIBUTED
}
