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
 *   crash-safe-create NAME PERMITS MODE  openOrCreate with that octal mode; print created|opened,
 *                                   or the exception's class and message
 *   crash-safe-open NAME            open; print opened, or the exception's class and message
 *   crash-safe-exhaust NAME         with no crash-safe call before: use up every file descriptor,
 *                                   try to create NAME (print the outcome), free them, create it
 *                                   again (print the outcome), remove it
 * </pre>
 */
final class CrashSafeChild {
    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);

    private CrashSafeChild() {}

    /**
     * Loads every class of namedsem without initialising any, as a JAR that is already open
     * would supply them without a new file descriptor: the test is about what namedsem does
     * when it runs out of descriptors, not about class files in a directory.
     */
    private static void loadWithoutInitialising() throws Exception {
        java.nio.file.Path classes = java.nio.file.Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]);
        try (var tree = java.nio.file.Files.walk(classes)) {
            for (var p : (Iterable<java.nio.file.Path>) tree::iterator) {
                String file = classes.relativize(p).toString();
                if (file.endsWith(".class") && !file.equals("module-info.class")) {
                    Class.forName(file.substring(0, file.length() - 6).replace('/', '.'), false, CrashSafeChild.class.getClassLoader());
                }
            }
        }
    }

    /** What an operation ended with, as one line: its result, or the class and message of what it threw. */
    private static String outcome(java.util.concurrent.Callable<String> operation) {
        try {
            return operation.call();
        } catch (Throwable t) {
            return t.getClass().getSimpleName() + ": " + String.valueOf(t.getMessage()).replace('\n', ' ');
        }
    }

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
            case "crash-safe-create" -> System.out.println(outcome(() -> {
                try (NamedSemaphore sem = NamedSemaphore.openOrCreate(name, Integer.parseInt(args[2]),
                        Integer.parseInt(args[2]), CRASH_SAFE.mode(Integer.parseInt(args[3], 8)))) {
                    return sem.created() ? "created" : "opened";
                }
            }));
            case "crash-safe-open" -> System.out.println(outcome(() -> {
                NamedSemaphore.open(name, CRASH_SAFE).close();
                return "opened";
            }));
            case "crash-safe-exhaust" -> {
                loadWithoutInitialising();
                var files = new java.util.ArrayList<java.io.FileInputStream>();
                try {
                    for (;;) {
                        files.add(new java.io.FileInputStream("/dev/null"));
                    }
                } catch (java.io.IOException outOfDescriptors) {
                    // the limit is reached
                }
                java.util.concurrent.Callable<String> create = () -> {
                    NamedSemaphore.create(name, 1, CRASH_SAFE).close();
                    return "created";
                };
                System.out.println("exhausted: " + outcome(create));
                for (var f : files) {
                    f.close();
                }
                System.out.println("recovered: " + outcome(create));
                NamedSemaphore.unlink(name, CRASH_SAFE);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
