package io.github.namedsem;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Child-JVM command for the damaged-file tests (started through {@link ChildMain}).
 *
 * <pre>
 *   damage-hammer BUSY IDLE   opens BUSY (1 permit) and IDLE (0 permits); threads loop
 *                             tryAcquire+release and availablePermits on BUSY, and block in
 *                             acquire() on IDLE (a platform and a virtual thread). Prints
 *                             "ready" once the loops are compiled, waits for a line on stdin
 *                             (the test damages the files meanwhile), then prints
 *                             "OPERATION: ExceptionClass" for each thread, the same for one
 *                             more call of each operation, and "alive".
 * </pre>
 */
final class FileDamageChild {
    private FileDamageChild() {}

    static void main(String[] args) throws Exception {
        NamedSemaphore busy = NamedSemaphore.open(args[1]);
        NamedSemaphore idle = NamedSemaphore.open(args[2]);
        Map<String, String> ended = new ConcurrentHashMap<>();
        AtomicLong loops = new AtomicLong();
        List<Thread> threads = List.of(
                Thread.ofPlatform().start(until(ended, "tryAcquire+release", () -> {
                    for (;;) {
                        if (busy.tryAcquire()) {
                            busy.release();
                        }
                        loops.incrementAndGet();
                    }
                })),
                Thread.ofPlatform().start(until(ended, "availablePermits", () -> {
                    for (;;) {
                        if (busy.availablePermits() > 1) {
                            throw new AssertionError("more permits than ever released");
                        }
                    }
                })),
                Thread.ofPlatform().start(until(ended, "acquire (platform thread)", () -> {
                    idle.acquire();
                    throw new AssertionError("acquired a permit nobody released");
                })),
                Thread.ofVirtual().start(until(ended, "acquire (virtual thread)", () -> {
                    idle.acquire();
                    throw new AssertionError("acquired a permit nobody released");
                })));
        while (loops.get() < 2_000_000) {
            Thread.sleep(10);
        }
        System.out.println("ready");
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        for (Thread t : threads) {
            t.join(60_000);
        }
        Map<String, String> report = new TreeMap<>(ended);
        for (Thread t : threads) {
            if (t.isAlive()) {
                report.put(t.toString(), "still running");
            }
        }
        report.put("after: tryAcquire", outcome(s -> s.tryAcquire(), busy));
        report.put("after: release", outcome(s -> s.release(), busy));
        report.put("after: availablePermits", outcome(s -> s.availablePermits(), busy));
        report.forEach((operation, what) -> System.out.println(operation + ": " + what));
        busy.close();
        idle.close();
        System.out.println("alive");
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Runnable until(Map<String, String> ended, String operation, Body body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                ended.put(operation, t.getClass().getSimpleName());
                if (!(t instanceof SemaphoreCorruptedException)) {
                    t.printStackTrace();
                }
            }
        };
    }

    private static String outcome(Function<NamedSemaphore, Object> operation, NamedSemaphore sem) {
        try {
            return "returned " + operation.apply(sem);
        } catch (RuntimeException | Error e) {
            return e.getClass().getSimpleName();
        }
    }
}
