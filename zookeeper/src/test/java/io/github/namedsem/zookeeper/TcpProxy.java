package io.github.namedsem.zookeeper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of one server that can stop forwarding: the bytes are read and
 * dropped in both directions and connections stay open, as in a network partition where packets
 * vanish rather than being refused. It can also lose one reply: forward a request, drop what
 * comes back, and cut the connection, as a network failure does between a request and its reply.
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean forwarding = true;
    private final java.util.concurrent.atomic.AtomicInteger requestsUntilCut = new java.util.concurrent.atomic.AtomicInteger(-1);
    private volatile boolean droppingReplies;

    TcpProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("proxy-accept").start(this::accept);
    }

    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    void partition() {
        forwarding = false;
    }

    /**
     * After the next {@code requests} writes from the client, forwards none of the server's
     * replies and, once the server has had time to apply the last request, closes every
     * connection; new connections are forwarded normally.
     */
    void loseTheReplyTo(int requests) {
        requestsUntilCut.set(requests);
    }

    private void requestForwarded() {
        if (requestsUntilCut.get() > 0 && requestsUntilCut.decrementAndGet() == 0) {
            droppingReplies = true;
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ignored) {
                    // cut now
                }
                sockets.forEach(TcpProxy::closeQuietly);
                sockets.clear();
                droppingReplies = false;
            });
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                // closed, or the server is down: the client retries
            }
        }
    }

    private void pump(Socket from, Socket to, boolean requests) {
        Thread.ofPlatform().daemon().name("proxy-pump").start(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (forwarding && (requests || !droppingReplies)) {
                        out.write(buffer, 0, n);
                        out.flush();
                        if (requests) {
                            requestForwarded();
                        }
                    }
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(TcpProxy::closeQuietly);
    }
}
