package io.github.namedsem.internal.holders;

import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.internal.NativeSemaphore;
import io.github.namedsem.internal.SemaphoreName;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A semaphore whose every permit taken or given back by this process is written to the
 * {@link HolderRegistry}: what {@code SemaphoreOptions.recordHolders(true)} asks for. A permit is
 * recorded after it is taken and un-recorded before it is given back, so a crash between the two
 * steps can only make the record show fewer permits than were held.
 */
public final class RecordingSemaphore implements NativeSemaphore {
    private final NativeSemaphore semaphore;
    private final SemaphoreKind kind;
    private final SemaphoreName name;
    private final String command;
    private final String identity;

    /**
     * Wraps a semaphore.
     *
     * @param semaphore the semaphore
     * @param kind its kind
     * @param name its name
     * @param command the command line to record, or null for this process's
     */
    public RecordingSemaphore(NativeSemaphore semaphore, SemaphoreKind kind, SemaphoreName name, String command) {
        this.semaphore = semaphore;
        this.kind = kind;
        this.name = name;
        this.command = command;
        this.identity = HolderRegistry.identity(kind, name);
    }

    /**
     * The semaphore itself, for releases that are not this process's permits (a repair).
     *
     * @return the wrapped semaphore
     */
    public NativeSemaphore unrecorded() {
        return semaphore;
    }

    @Override
    public boolean tryAcquire() {
        return recorded(semaphore.tryAcquire());
    }

    @Override
    public boolean awaitPermit(long nanos) {
        return recorded(semaphore.awaitPermit(nanos));
    }

    @Override
    public boolean takesSeveralAtomically() {
        return semaphore.takesSeveralAtomically();
    }

    @Override
    public boolean tryAcquire(int permits) {
        return recorded(semaphore.tryAcquire(permits), permits);
    }

    @Override
    public boolean awaitPermits(int permits, long nanos) {
        return recorded(semaphore.awaitPermits(permits, nanos), permits);
    }

    private boolean recorded(boolean acquired) {
        return recorded(acquired, 1);
    }

    private boolean recorded(boolean acquired, int permits) {
        if (acquired) {
            HolderRegistry.change(kind, name, command, identity, permits);
        }
        return acquired;
    }

    @Override
    public int release(int permits) {
        int unrecorded = HolderRegistry.change(kind, name, command, identity, -permits);
        try {
            return semaphore.release(permits);
        } catch (RuntimeException notReleased) {
            HolderRegistry.change(kind, name, command, identity, -unrecorded); // nothing was released: still held
            throw notReleased;
        }
    }

    @Override
    public int availablePermits() {
        return semaphore.availablePermits();
    }

    @Override
    public OptionalInt maxPermits() {
        return semaphore.maxPermits();
    }

    @Override
    public OptionalInt waiters() {
        return semaphore.waiters();
    }

    @Override
    public OptionalLong lastOperationPid() {
        return semaphore.lastOperationPid();
    }

    @Override
    public String osName() {
        return semaphore.osName();
    }

    @Override
    public OptionalInt ownerUid() {
        return semaphore.ownerUid();
    }

    @Override
    public boolean ownedByCaller() {
        return semaphore.ownedByCaller();
    }

    @Override
    public RuntimeException faulted(InternalError fault) {
        return semaphore.faulted(fault); // recording keeps to the guarded paths, but a fault may still surface
    }

    @Override
    public void close() {
        semaphore.close();
    }
}
