package io.github.namedsem.examples;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Lets one instance of a service, of however many starting at once on this machine, migrate
 * the database; the others wait, then find nothing left to do. The lock is crash-safe: an
 * instance killed in the middle of a migration (deploy rollback, {@code kill -9}) does not
 * leave the lock taken, so the next instance can retry the migration.
 */
public final class MigrationLock {
    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);

    private MigrationLock() {}

    /**
     * Runs {@code migration} while holding the machine-wide lock {@code name}.
     *
     * @param name the lock's name, e.g. "orders-db-migrations"
     * @param migration the work; should itself skip what is already done
     * @param patience how long to wait for another instance's migration
     * @throws TimeoutException if another instance held the lock for longer
     * @throws InterruptedException if interrupted while waiting
     */
    public static void migrate(String name, Runnable migration, Duration patience)
            throws TimeoutException, InterruptedException {
        try (var lock = NamedSemaphore.openOrCreate(name, 1, 1, CRASH_SAFE);
             var _ = lock.permit(patience)) {
            migration.run();
        }
    }

    /**
     * Migrates under the lock "example-migrations".
     *
     * @param args unused
     * @throws Exception if the lock stayed taken for a minute
     */
    public static void main(String[] args) throws Exception {
        migrate("example-migrations", () -> System.out.println("migrating as process " + ProcessHandle.current().pid()),
                Duration.ofMinutes(1));
    }
}
