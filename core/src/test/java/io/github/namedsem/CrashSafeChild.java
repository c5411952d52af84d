package io.github.namedsem;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Child-JVM commands for the crash-safe tests (started through {@link ChildMain}).
 *
 * <pre>
 *   crash-safe-hold NAME            acquire, print acquired, sleep until killed
 *   crash-safe-wait NAME MILLIS     print waiting, then acquired, timeout or the exception's class
 *   crash-safe-race NAME INITIAL MAX  for each line on stdin: openOrCreate, print
 *                                   "created|opened COUNT MAX", close
 * </pre>
 */
final class CrashSafeChild {
    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);

    private CrashSafeChild() {}

    static void main(String[] args) throws Exception {
        String name = args[1];
        switch (args[0]) {
            case "crash-safe-hold" -> {
                NamedSemaphore sem = NamedSemaphore.open(name, CRASH_SAFE);
                sem.acquire();
                System.out.println("acquired");
                Thread.sleep(Long.MAX_VALUE);
            }
            case "crash-safe-wait" -> {
                try (NamedSemaphore sem = NamedSemaphore.open(name, CRASH_SAFE)) {
                    System.out.println("waiting");
                    System.out.println(sem.tryAcquire(Duration.ofMillis(Long.parseLong(args[2]))) ? "acquired" : "timeout");
                } catch (NamedSemaphoreException e) {
                    System.out.println(e.getClass().getSimpleName());
                }
            }
            case "crash-safe-race" -> {
                int initial = Integer.parseInt(args[2]);
                int max = Integer.parseInt(args[3]);
                var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                System.out.println("ready");
                while (in.readLine() != null) {
                    try (NamedSemaphore sem = NamedSemaphore.openOrCreate(name, initial, max, CRASH_SAFE)) {
                        System.out.println((sem.created() ? "created " : "opened ") + sem.availablePermits() + " "
                                + sem.maxPermits().getAsInt());
                    } catch (NamedSemaphoreException e) {
                        System.out.println("error " + e.getMessage());
                    }
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
