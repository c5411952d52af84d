package io.github.namedsem.internal;

import io.github.namedsem.SemaphoreCluster;

/**
 * The backend of the {@linkplain io.github.namedsem.SemaphoreKind#DISTRIBUTED distributed}
 * kind: hands checked names and counts to the cluster the caller chose, and wraps its handles
 * so that {@link io.github.namedsem.NamedSemaphore} treats them like any other.
 */
public record ClusterBackend(SemaphoreCluster cluster) implements Backend {

    @Override
    public Opened create(SemaphoreName name, int initialPermits, int maxPermits, int mode, boolean openIfExists) {
        var handle = cluster.create(name.portable(), initialPermits, maxPermits, openIfExists);
        return new Opened(new ClusterHandle(name.portable(), handle), handle.created());
    }

    @Override
    public NativeSemaphore open(SemaphoreName name) {
        return new ClusterHandle(name.portable(), cluster.open(name.portable()));
    }

    @Override
    public boolean unlink(SemaphoreName name) {
        return cluster.unlink(name.portable());
    }

    @Override
    public int maxPermitsLimit() {
        return cluster.maxPermitsLimit();
    }
}
