package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * What the contract suite needs from a kind: the options that select it, the facts in which
 * kinds legitimately differ, and factories that pass the options on. The contract's tests ask
 * these facts instead of being skipped, so a new kind (distributed, an emulated Windows run)
 * runs every test by answering them in one small {@link SemaphoreContract} subclass.
 */
interface KindFixture {
    /** The options every semaphore of the suite is created, opened and unlinked with. */
    SemaphoreOptions options();

    /** Names that are removed, as this kind, after each test. */
    UniqueNames names();

    /**
     * Whether a permit must be released by the process that acquired it (then releasing
     * permits nobody in this process holds throws {@link IllegalStateException}); otherwise
     * anyone may release, and releasing permits nobody acquired raises the count.
     */
    boolean releaseNeedsTheAcquiringProcess();

    /** Whether the maximum recorded at creation binds every handle, whatever maximum the handle was opened with. */
    boolean maximumBindsEveryHandle();

    /** Whether a handle from {@code open(name)} knows the maximum ({@link NamedSemaphore#maxPermits()}). */
    boolean openKnowsTheMaximum();

    /**
     * Whether handles open when the name is unlinked keep working on the nameless semaphore;
     * otherwise they fail with {@link SemaphoreRemovedException}.
     */
    boolean unlinkKeepsOpenHandlesWorking();

    /** Whether {@code release} returns the exact count before it, rather than a snapshot read just before. */
    boolean previousCountIsExact();

    /** The largest maximum a semaphore of this kind may have. */
    int countLimit();

    /** How exception messages spell the semaphore of that name (the OS name or the portable one). */
    String nameInMessages(String name);

    /**
     * What the message of {@link NoSuchSemaphoreException} says when {@code open} finds no
     * semaphore of that name: at least the name and how to create one.
     */
    List<String> noSuchSemaphoreMessageSays(String name);

    default SemaphoreKind kind() {
        return options().kind();
    }

    /** A fresh name, removed after the test. */
    default String name(String hint) {
        return names().next(hint, options());
    }

    default NamedSemaphore create(String name, int permits) {
        return NamedSemaphore.create(name, permits, options());
    }

    default NamedSemaphore create(String name, int initialPermits, int maxPermits) {
        return NamedSemaphore.create(name, initialPermits, maxPermits, options());
    }

    default NamedSemaphore open(String name) {
        return NamedSemaphore.open(name, options());
    }

    default NamedSemaphore openOrCreate(String name, int initialPermits, int maxPermits) {
        return NamedSemaphore.openOrCreate(name, initialPermits, maxPermits, options());
    }

    default boolean unlink(String name) {
        return NamedSemaphore.unlink(name, options());
    }

    /**
     * A semaphore with no free permit whose {@code maxPermits} permits this thread's process
     * holds: created full and emptied by acquiring, so that releasing them is legal for every
     * kind, including those where only the acquiring process may release.
     */
    default NamedSemaphore createDrained(String name, int maxPermits) {
        NamedSemaphore sem = create(name, maxPermits);
        for (int i = 0; i < maxPermits; i++) {
            assertThat(sem.tryAcquire()).as("draining permit %d of %s", i, name).isTrue();
        }
        return sem;
    }
}
