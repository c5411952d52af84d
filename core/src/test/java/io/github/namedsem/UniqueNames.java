package io.github.namedsem;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands out semaphore names no other test, run or process uses, and unlinks every one of them
 * after each test, passed or failed, as the kind it was handed out for. Register with
 * {@code @RegisterExtension}.
 */
final class UniqueNames implements AfterEachCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    // Pids are reused (pid_max is often 32768) and tests run in a fixed order, so pid and counter
    // alone repeat across runs: a run killed midway would leave semaphores, and crash-safe sets,
    // under exactly the names a later run picks. The start time of this JVM tells the runs apart.
    private static final String RUN = ProcessHandle.current().pid() + "."
            + Long.toString(ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli())
                    .orElse(System.currentTimeMillis()) % 1_000_000_000L, 36);
    private static final SemaphoreOptions STANDARD = SemaphoreOptions.defaults();
    private static final SemaphoreOptions CRASH_SAFE = STANDARD.kind(SemaphoreKind.CRASH_SAFE);
    private final Map<String, SemaphoreOptions> handedOut = new LinkedHashMap<>();

    /** A fresh name such as {@code nstest-basic-4242.ab12cd-17}; unlinked after the test. */
    String next(String hint) {
        return next(hint, STANDARD);
    }

    /** A fresh name for a crash-safe semaphore; its set is removed after the test. */
    String nextCrashSafe(String hint) {
        return next(hint, CRASH_SAFE);
    }

    /** A fresh name for a semaphore of the kind in {@code options}; removed as that kind after the test. */
    synchronized String next(String hint, SemaphoreOptions options) {
        String name = "nstest-" + hint + "-" + RUN + "-" + COUNTER.incrementAndGet();
        handedOut.put(name, options);
        return name;
    }

    /** Has a name made by the test itself unlinked (as the standard kind) after the test too. */
    synchronized String register(String name) {
        handedOut.putIfAbsent(name, STANDARD);
        return name;
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        handedOut.forEach(NamedSemaphore::unlink);
        handedOut.clear();
    }
}
