package io.github.namedsem;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands out semaphore names no other test, run or process uses, and unlinks every one of them
 * after each test, passed or failed. Register with {@code @RegisterExtension}.
 */
final class UniqueNames implements AfterEachCallback {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);
    private final List<String> handedOut = new ArrayList<>();
    private final List<String> crashSafe = new ArrayList<>();

    /** A fresh name such as {@code nstest-basic-4242-17}; unlinked after the test. */
    synchronized String next(String hint) {
        String name = "nstest-" + hint + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        handedOut.add(name);
        return name;
    }

    /** A fresh name for a crash-safe semaphore; its set is removed after the test. */
    synchronized String nextCrashSafe(String hint) {
        String name = "nstest-" + hint + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        crashSafe.add(name);
        return name;
    }

    /** Has a name made by the test itself unlinked after the test too. */
    synchronized String register(String name) {
        handedOut.add(name);
        return name;
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        for (String name : handedOut) {
            NamedSemaphore.unlink(name);
        }
        handedOut.clear();
        for (String name : crashSafe) {
            NamedSemaphore.unlink(name, CRASH_SAFE);
        }
        crashSafe.clear();
    }
}
