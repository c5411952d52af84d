/**
 * The service-provider interface through which a module such as {@code namedsem-zookeeper}
 * supplies {@link io.github.namedsem.SemaphoreKind#DISTRIBUTED distributed} semaphores.
 *
 * <p>Applications do not call these types: they pass a {@link SemaphoreCluster} to
 * {@link io.github.namedsem.SemaphoreOptions#cluster(SemaphoreCluster)} and use
 * {@link io.github.namedsem.NamedSemaphore} as for any other kind. Core validates names and
 * counts before calling a provider, guards handles against use after close, and turns a
 * provider's acquired permits into {@link io.github.namedsem.Permit}s.
 */
package io.github.namedsem.spi;
