package io.github.namedsem.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void smoke() throws Exception {
        try (var server = ZkServers.single();
             var zk = ZooKeeperCluster.connect(server.getConnectString(), Duration.ofSeconds(3));
             var sem = NamedSemaphore.openOrCreate("s", 2, 2, SemaphoreOptions.defaults().cluster(zk))) {
            System.out.println(zk.negotiatedSessionTimeout() + " " + sem.osName());
            var p = sem.permit();
            var q = sem.permit();
            assertThat(sem.tryAcquire()).isFalse();
            System.out.println(p + " " + q);
            long t = System.nanoTime();
            assertThat(sem.tryAcquire(Duration.ofMillis(300))).isFalse();
            System.out.println("timed out after " + (System.nanoTime() - t) / 1_000_000);
            p.close();
            assertThat(sem.tryAcquire(Duration.ofMillis(300))).isTrue();
            sem.release();
            q.close();
            assertThat(sem.availablePermits()).isEqualTo(2);
        }
    }
}
