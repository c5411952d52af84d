package io.github.namedsem;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Who holds and who waits for a named semaphore, as far as this platform can tell: what
 * {@link NamedSemaphore#holders()} returns.
 *
 * <p>What is known depends on the kind. For the {@linkplain SemaphoreKind#CRASH_SAFE crash-safe}
 * kind the kernel reports how many processes wait ({@code semctl(GETNCNT)}) and which process
 * operated on the set last ({@code GETPID}); it also books each holder's permits (its
 * {@code SEM_UNDO} adjustments) but does not let other processes read them, so holders are, as
 * for the standard kind, those recorded by processes that {@linkplain
 * SemaphoreOptions#recordHolders(boolean) ask to be recorded}, and the kernel guarantees that a
 * dead one's permits are back. For the {@linkplain SemaphoreKind#STANDARD standard} kind the
 * operating system records nothing: holders are the recorded ones only (best effort), and a dead
 * holder's permits stay lost until {@link NamedSemaphore#releaseDeadHolders()}.
 *
 * @param kind the semaphore's kind
 * @param holders recorded holders, alive and dead, in pid order
 * @param waiters processes waiting for a permit, where the kernel reports it (crash-safe kind)
 * @param lastOperationPid the process that changed the count last, where the kernel reports it
 *     (crash-safe kind)
 */
public record HolderReport(SemaphoreKind kind, List<SemaphoreHolder> holders, OptionalInt waiters,
                           OptionalLong lastOperationPid) {
    /**
     * Creates a report.
     *
     * @param kind the kind
     * @param holders the holders, copied
     * @param waiters the waiters, where known
     * @param lastOperationPid the last operating process, where known
     */
    public HolderReport {
        holders = List.copyOf(holders);
    }

    /**
     * Whether the kernel gave back the permits of holders that died.
     *
     * @return true for the crash-safe kind
     */
    public boolean deadHoldersReturned() {
        return kind == SemaphoreKind.CRASH_SAFE;
    }

    /**
     * Permits recorded for holders that no longer exist.
     *
     * @return their sum; 0 if none
     */
    public int deadPermits() {
        return holders.stream().filter(h -> h.state() == SemaphoreHolder.State.DEAD).mapToInt(SemaphoreHolder::permits).sum();
    }
}
