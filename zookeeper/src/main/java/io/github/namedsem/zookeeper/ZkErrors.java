package io.github.namedsem.zookeeper;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.SemaphoreAccessDeniedException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreUnavailableException;
import org.apache.zookeeper.KeeperException;

/** Turns ZooKeeper's failures into namedsem's exceptions, with messages that say what to do. */
final class ZkErrors {
    private static final SemaphoreKind KIND = SemaphoreKind.DISTRIBUTED;

    private ZkErrors() {}

    /** A ZooKeeper call: Curator's builders throw {@code Exception}. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws Exception;
    }

    /** Failures after which the operation may or may not have been applied. */
    static boolean uncertain(Throwable e) {
        return e instanceof KeeperException.ConnectionLossException
                || e instanceof KeeperException.OperationTimeoutException
                || e instanceof KeeperException.SessionExpiredException
                || e instanceof KeeperException.SessionMovedException
                || e instanceof InterruptedException;
    }

    /**
     * Runs a call whose {@link KeeperException.NoNodeException} and
     * {@link KeeperException.NodeExistsException} the caller handles itself; everything else
     * is translated.
     */
    static <T> T run(String what, String name, ZooKeeperCluster cluster, Call<T> call)
            throws KeeperException.NoNodeException, KeeperException.NodeExistsException {
        // An interrupt status set before the call must not fail it (the ZooKeeper client's
        // wait for the reply would throw at once): it is kept for the caller, as
        // java.util.concurrent's non-blocking methods do. An interrupt during the call ends it.
        boolean interrupted = Thread.interrupted();
        try {
            return call.call();
        } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException e) {
            throw e;
        } catch (Exception e) {
            throw translate(what, name, cluster, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static RuntimeException translate(String what, String name, ZooKeeperCluster cluster, Exception e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt(); // the caller's wait loop sees it
            return new SemaphoreUnavailableException("Interrupted while waiting for ZooKeeper to " + what
                    + " distributed semaphore " + name + "; nothing is held by this call", name, cluster.osName(name), e);
        }
        if (uncertain(e)) {
            return new SemaphoreUnavailableException("Cannot " + what + " distributed semaphore " + name
                    + ": ZooKeeper at " + cluster + " did not answer (" + ((KeeperException) e).code()
                    + "). Check that a majority of the ensemble is running and reachable from this machine,"
                    + " then retry", name, cluster.osName(name), e);
        }
        if (e instanceof KeeperException.NoAuthException || e instanceof KeeperException.AuthFailedException) {
            var denied = new SemaphoreAccessDeniedException("Cannot " + what + " distributed semaphore " + name
                    + ": ZooKeeper at " + cluster + " refused (" + ((KeeperException) e).code() + "); give this"
                    + " client's credentials access to the znodes under /namedsem", name, cluster.osName(name), KIND,
                    ((KeeperException) e).code().intValue(), ((KeeperException) e).code().name());
            denied.initCause(e);
            return denied;
        }
        if (e instanceof KeeperException keeper) {
            var failed = new NamedSemaphoreException("Cannot " + what + " distributed semaphore " + name
                    + ": ZooKeeper at " + cluster + " answered " + keeper.code() + " (" + keeper.getMessage() + ")",
                    name, cluster.osName(name), KIND, keeper.code().intValue(), keeper.code().name());
            failed.initCause(e);
            return failed;
        }
        var failed = new NamedSemaphoreException("Cannot " + what + " distributed semaphore " + name + ": " + e,
                name, cluster.osName(name), KIND, 0, null);
        failed.initCause(e);
        return failed;
    }
}
