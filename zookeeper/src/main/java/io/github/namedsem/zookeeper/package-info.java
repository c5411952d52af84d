/**
 * The {@link io.github.namedsem.SemaphoreKind#DISTRIBUTED distributed} kind of namedsem on
 * Apache ZooKeeper: connect with {@link io.github.namedsem.zookeeper.ZooKeeperCluster} and pass
 * it to {@link io.github.namedsem.SemaphoreOptions#cluster(io.github.namedsem.SemaphoreCluster)}.
 */
package io.github.namedsem.zookeeper;
