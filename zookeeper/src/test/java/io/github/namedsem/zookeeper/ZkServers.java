package io.github.namedsem.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingServer;

/**
 * Real ZooKeeper servers for the tests, in this JVM: bound to 127.0.0.1 only, without the admin
 * HTTP server, with a short tick so that sessions of 2 to 4 seconds are allowed (the servers
 * accept 2 to 20 ticks).
 */
final class ZkServers {
    private ZkServers() {}

    static final int TICK_MS = 250;
    private static final AtomicInteger NAMES = new AtomicInteger();

    static {
        System.setProperty("zookeeper.admin.enableServer", "false");
    }

    private static InstanceSpec spec(int serverId) {
        Map<String, Object> props = Map.of(
                "clientPortAddress", "127.0.0.1",
                "admin.enableServer", "false",
                "4lw.commands.whitelist", "srvr",
                "maxSessionTimeout", Integer.toString(TICK_MS * 40));
        return new InstanceSpec(null, -1, -1, -1, true, serverId, TICK_MS, -1, props, "127.0.0.1");
    }

    static TestingServer single() throws Exception {
        return new TestingServer(spec(-1), true);
    }

    static TestingCluster ensemble(int size) throws Exception {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            specs.add(spec(id));
        }
        var cluster = new TestingCluster(specs);
        cluster.start();
        return cluster;
    }

    /** The mode line ("leader", "follower") a server reports, or null if it does not answer. */
    static String mode(InstanceSpec spec) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", spec.getPort()), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : reply.split("\n")) {
                if (line.startsWith("Mode: ")) {
                    return line.substring(6).trim();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A semaphore name no other test or run uses. */
    static String uniqueName(String hint) {
        return "zktest-" + hint + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
    }

    /** Waits until somebody waits in the queue of a semaphore. */
    static void awaitQueued(ZooKeeperCluster zk, String name) throws Exception {
        String queue = ZooKeeperCluster.ROOT + "/" + ZnodeNames.encode(name) + "/queue";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (zk.curator().getChildren().forPath(queue).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nobody queued on " + name);
            }
            Thread.sleep(10);
        }
    }
}
