package io.github.namedsem;

/**
 * Which operating-system mechanism backs a {@link NamedSemaphore}.
 *
 * <p>Every kind offers the same {@link NamedSemaphore} API and passes the same contract tests;
 * they differ in who else can open the semaphore and in what happens when a holder dies.
 * Choose one with {@link SemaphoreOptions#kind(SemaphoreKind)}; code that uses the semaphore
 * stays the same. Where the kinds differ, {@code NamedSemaphore}'s methods link here.
 *
 * <table class="striped" id="kinds">
 * <caption>What differs between the kinds</caption>
 * <thead>
 * <tr><th scope="col"></th><th scope="col">{@link #STANDARD}, Linux</th>
 *     <th scope="col">{@link #STANDARD}, Windows</th><th scope="col">{@link #CRASH_SAFE} (Linux)</th></tr>
 * </thead>
 * <tbody>
 * <tr><th scope="row">OS object</th><td>POSIX named semaphore, {@code /dev/shm/sem.NAME}</td>
 *     <td>semaphore object in the session's namespace</td>
 *     <td>System V semaphore set, key from the name</td></tr>
 * <tr><th scope="row">shared by</th><td>every process that sees the same {@code /dev/shm}
 *     mount, whatever its IPC namespace</td><td>the session, or all sessions with {@code Global\}</td>
 *     <td>every process in the same IPC namespace (containers: see docs/containers.md)</td></tr>
 * <tr><th scope="row">maximum</th><td>checked only by the releasing handle, against the
 *     maximum it was given (atomically with the release on glibc, see below); handles from
 *     {@code open} know none ({@link NamedSemaphore#maxPermits()} empty)</td>
 *     <td>kept by the kernel, atomic, for every process; {@code openOrCreate} gets the
 *     creator's maximum, not its own argument</td>
 *     <td>kept in the set, atomic, for every process</td></tr>
 * <tr><th scope="row">count returned by {@code release}</th><td>exact on glibc (glibc's
 *     protocol run in Java: one compare-and-set); a snapshot read just before where namedsem
 *     falls back to the C library's calls</td>
 *     <td>exact</td><td>a snapshot read just before</td></tr>
 * <tr><th scope="row">several permits at once ({@code acquire(int)})</th><td>yes on glibc, in
 *     one compare-and-set; refused with {@link UnsupportedOperationException} where namedsem
 *     falls back to the C library's calls</td><td>refused</td><td>yes, one {@code semop}</td></tr>
 * <tr><th scope="row">system calls when uncontended</th>
 *     <td>none for {@code tryAcquire}/{@code release} (glibc's atomic fast path, run in Java on
 *     glibc)</td>
 *     <td>one per call ({@code WaitForSingleObject}, {@code ReleaseSemaphore})</td>
 *     <td>one per call ({@code semop})</td></tr>
 * <tr><th scope="row">{@code unlink} and open handles</th><td>removes the name; open handles
 *     keep working on the nameless semaphore</td>
 *     <td>nothing to remove: the object dies with its last handle; returns {@code false}</td>
 *     <td>removes the set; every handle, in every process, then gets
 *     {@link SemaphoreRemovedException}</td></tr>
 * <tr><th scope="row">who may release</th><td>anyone</td><td>anyone</td>
 *     <td>only the process that acquired the permit ({@link IllegalStateException} otherwise)</td></tr>
 * <tr><th scope="row">a holder crashes</th><td>its permits stay taken</td>
 *     <td>its permits stay taken</td><td>the kernel gives its permits back</td></tr>
 * <tr><th scope="row">largest count</th><td>2<sup>31</sup>-1 ({@code SEM_VALUE_MAX})</td>
 *     <td>2<sup>31</sup>-1</td><td>32767 ({@code SEMVMX})</td></tr>
 * <tr><th scope="row">opened by other languages</th><td>by name ({@code sem_open})</td>
 *     <td>by name ({@code OpenSemaphoreW})</td><td>by System V key (see the README)</td></tr>
 * <tr><th scope="row">platforms</th><td>Linux (glibc, musl)</td><td>Windows</td><td>Linux</td></tr>
 * </tbody>
 * </table>
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
    CRASH_SAFE
}
