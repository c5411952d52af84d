package io.github.namedsem;

import java.util.List;
import org.junit.jupiter.api.condition.OS;

/**
 * The contract for the crash-safe kind (System V semaphore sets with {@code SEM_UNDO}). What
 * only this kind does (permits given back on SIGKILL, other System V programs, key collisions)
 * is in {@link CrashSafeTest}.
 */
class CrashSafeKindTest extends SemaphoreContract {
    @Override
    public SemaphoreOptions options() {
        return SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);
    }

    @Override
    String unavailableBecause() {
        return OS.LINUX.isCurrentOs() ? null : "the crash-safe kind is implemented on Linux only";
    }

    @Override
    public boolean releaseNeedsTheAcquiringProcess() {
        return true; // SEM_UNDO: the kernel undoes each process's own operations when it exits
    }

    @Override
    public boolean maximumBindsEveryHandle() {
        return true; // the headroom semaphore is part of the set
    }

    @Override
    public boolean openKnowsTheMaximum() {
        return true; // count + headroom
    }

    @Override
    public boolean unlinkKeepsOpenHandlesWorking() {
        return false; // IPC_RMID removes the set at once: EIDRM/EINVAL afterwards
    }

    @Override
    public boolean previousCountIsExact() {
        return false; // semctl(GETVAL) before the semop
    }

    @Override
    public int countLimit() {
        return 32767; // SEMVMX
    }

    @Override
    public String nameInMessages(String name) {
        return name; // "crash-safe semaphore NAME (System V key 0x...)"
    }

    @Override
    public List<String> noSuchSemaphoreMessageSays(String name) {
        return List.of("No crash-safe semaphore " + name, "System V key", "Create it first with the CRASH_SAFE kind");
    }
}
