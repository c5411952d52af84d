package io.github.namedsem.zookeeper;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client process for the multi-process tests: {@code hold} takes a permit and keeps it until
 * killed; {@code contend} takes and gives back permits in rounds, counting holders in a file
 * under a file lock, a counter that knows nothing of ZooKeeper.
 */
public final class ZkChild {
    private ZkChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String connect = args[1];
        Duration session = Duration.ofMillis(Long.parseLong(args[2]));
        String name = args[3];
        int max = Integer.parseInt(args[4]);
        try (var zk = ZooKeeperCluster.connect(connect, session);
             var sem = NamedSemaphore.openOrCreate(name, max, max, SemaphoreOptions.defaults().cluster(zk))) {
            switch (mode) {
                case "hold" -> {
                    var permit = sem.permit();
                    System.out.println("HELD " + permit.slot() + " " + permit.token());
                    System.out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
                case "contend" -> {
                    int rounds = Integer.parseInt(args[5]);
                    Path counter = Path.of(args[6]);
                    System.out.println("READY");
                    System.out.flush();
                    for (int i = 0; i < rounds; i++) {
                        try (var _ = sem.permit()) {
                            add(counter, 1);
                            Thread.sleep(ThreadLocalRandom.current().nextInt(20, 60));
                            add(counter, -1);
                        }
                    }
                    System.out.println("DONE");
                }
                default -> throw new IllegalArgumentException(mode);
            }
        }
    }

    /** The file holds "current most": the holders now and the most there ever were at once. */
    static void add(Path counter, int delta) throws IOException {
        try (var file = new RandomAccessFile(counter.toFile(), "rw");
             FileLock _ = file.getChannel().lock()) {
            String text = file.length() == 0 ? "0 0" : file.readLine();
            String[] parts = text.trim().split(" ");
            int current = Integer.parseInt(parts[0]) + delta;
            int most = Math.max(Integer.parseInt(parts[1]), current);
            file.setLength(0);
            file.seek(0);
            file.writeBytes(current + " " + most + "\n");
        }
    }

    static int[] read(Path counter) throws IOException {
        try (var file = new RandomAccessFile(counter.toFile(), "r")) {
            String[] parts = file.readLine().trim().split(" ");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        }
    }
}
