package io.github.namedsem.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client processes (real JVMs) sharing a distributed semaphore through a real server. */
class MultiProcessTest {
    private static TestingServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = ZkServers.single();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    static Process child(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Dzookeeper.admin.enableServer=false",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("namedsem.test.classpath"), ZkChild.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static BufferedReader out(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    @Test
    void fiveClientProcessesOnTwoPermitsNeverHoldMoreThanTwo() throws Exception {
        // The larger run: ./mvnw -pl zookeeper -am verify -Dtest=MultiProcessTest#five*
        //   -Dsurefire.failIfNoSpecifiedTests=false -Dnamedsem.zk.clients=20
        int clients = Integer.getInteger("namedsem.zk.clients", 5);
        String name = ZkServers.uniqueName("five");
        Path work = Files.createDirectories(Path.of(System.getProperty("namedsem.test.workDir", "target/test-work")));
        Path counter = Files.createTempFile(work, "holders", ".txt");
        List<Process> children = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                children.add(child("contend", server.getConnectString(), "3000", name, "2", "6", counter.toString()));
            }
            for (Process p : children) {
                var lines = out(p);
                assertThat(lines.readLine()).isEqualTo("READY");
                assertThat(lines.readLine()).isEqualTo("DONE");
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
            int[] holders = ZkChild.read(counter);
            assertThat(holders[0]).as("holders at the end").isZero();
            assertThat(holders[1]).as("most holders at once").isEqualTo(2);
        } finally {
            children.forEach(Process::destroyForcibly);
            try (var zk = ZooKeeperCluster.connect(server.getConnectString(), Duration.ofSeconds(3))) {
                NamedSemaphore.unlink(name, SemaphoreOptions.defaults().cluster(zk));
            }
            Files.deleteIfExists(counter);
        }
    }

    @Test
    void aKilledHoldersPermitComesBackWithinTheSessionTimeout() throws Exception {
        String name = ZkServers.uniqueName("kill9");
        Process holder = child("hold", server.getConnectString(), "2000", name, "1");
        try (var zk = ZooKeeperCluster.connect(server.getConnectString(), Duration.ofSeconds(3));
             var sem = NamedSemaphore.openOrCreate(name, 1, 1, SemaphoreOptions.defaults().cluster(zk))) {
            String held = out(holder).readLine();
            assertThat(held).startsWith("HELD 0 ");
            assertThat(sem.tryAcquire()).isFalse();
            holder.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no goodbye to ZooKeeper
            long killedAt = System.nanoTime();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
            try (var permit = sem.permit(Duration.ofSeconds(30))) {
                long ms = (System.nanoTime() - killedAt) / 1_000_000;
                System.out.println("permit of the killed holder came back after " + ms + " ms (session 2000 ms)");
                assertThat(ms).isLessThan(2000 + 4000);
                assertThat(permit.token()).isGreaterThan(Long.parseLong(held.split(" ")[2]));
            }
            NamedSemaphore.unlink(name, SemaphoreOptions.defaults().cluster(zk));
        } finally {
            holder.destroyForcibly();
        }
    }
}
