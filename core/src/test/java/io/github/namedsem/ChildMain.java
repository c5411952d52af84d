package io.github.namedsem;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The program the multi-process tests start in child JVMs. It speaks a line protocol: it
 * prints what happened ({@code acquired}, {@code timeout}, {@code released}, values) on
 * stdout, and waits for commands on stdin where a test must decide when it continues.
 *
 * <pre>
 *   try NAME HOLD_MS              prints ready, waits for a line on stdin, then tryAcquire() without
 *                                 waiting; prints acquired (holds HOLD_MS, releases, prints released)
 *                                 or timeout (exit 2)
 *   wait NAME TIMEOUT_MS          prints waiting, then acquired, or timeout (exit 2)
 *   acquire NAME                  blocking acquire; prints acquired; waits for "release" on stdin
 *   release NAME N                release(N); prints the previous count
 *   hold-forever NAME             acquire, print acquired, sleep until killed
 *   hold-and-exit NAME            acquire, print acquired, exit without closing or releasing
 *   unlink NAME                   unlink NAME; prints unlinked|absent (needs no semaphore)
 *   probe NAME                    opens NAME; prints present|absent: a native call on every OS
 *   each-kind-twice NAME          openOrCreate NAME twice as each kind that Linux has; prints, per
 *                                 call, the kind and what it ended with (for the native-access tests)
 * </pre>
 * The commands and output match the C, C++ and Python peers', so tests can swap languages.
 */
public final class ChildMain {
    private ChildMain() {}

    private static BufferedReader stdin() {
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        if (args[0].startsWith("crash-safe-")) {
            CrashSafeChild.main(args);
            return;
        }
        if (args[0].startsWith("win32-")) {
            Win32MisuseChild.main(args);
            return;
        }
        if (args[0].startsWith("storm")) {
            StormChild.main(args);
            return;
        }
        if (args[0].startsWith("damage-")) {
            FileDamageChild.main(args);
            return;
        }
        if (args[0].startsWith("holder-")) {
            HolderChild.main(args);
            return;
        }
        switch (args[0]) {
            case "unlink" -> {
                System.out.println(NamedSemaphore.unlink(args[1]) ? "unlinked" : "absent");
                return;
            }
            case "probe" -> { // for the native-access tests; unlink makes no native call on Windows
                try (var _ = NamedSemaphore.open(args[1])) {
                    System.out.println("present");
                } catch (NoSuchSemaphoreException e) {
                    System.out.println("absent");
                }
                return;
            }
            case "each-kind-twice" -> {
                for (SemaphoreKind kind : new SemaphoreKind[] {SemaphoreKind.STANDARD, SemaphoreKind.CRASH_SAFE}) {
                    for (int call = 0; call < 2; call++) {
                        try (NamedSemaphore sem = NamedSemaphore.openOrCreate(args[1], 1, 1,
                                SemaphoreOptions.defaults().kind(kind))) {
                            System.out.println(kind + " opened");
                            sem.unlink();
                        } catch (Throwable t) {
                            System.out.println(kind + " " + t.getClass().getSimpleName() + ": " + t.getMessage());
                        }
                    }
                }
                return;
            }
            case "create" -> {
                int value = Integer.parseInt(args[2]);
                int mode = args.length > 3 ? Integer.parseInt(args[3], 8) : SemaphoreOptions.DEFAULT_MODE;
                NamedSemaphore.create(args[1], value, Math.max(1, value), SemaphoreOptions.defaults().mode(mode)).close();
                System.out.println("created");
                return;
            }
            case "exhaust" -> {
                exhaustFileDescriptors(args[1]);
                return;
            }
            default -> { }
        }
        String command = args[0];
        String name = args[1];
        try (NamedSemaphore sem = NamedSemaphore.open(name)) {
            switch (command) {
                case "try" -> {
                    System.out.println("ready");
                    if (stdin().readLine() == null) {
                        return;
                    }
                    if (!sem.tryAcquire()) {
                        System.out.println("timeout");
                        System.exit(2);
                    }
                    System.out.println("acquired");
                    Thread.sleep(Long.parseLong(args[2]));
                    sem.release();
                    System.out.println("released");
                }
                case "wait" -> {
                    System.out.println("waiting");
                    if (!sem.tryAcquire(Duration.ofMillis(Long.parseLong(args[2])))) {
                        System.out.println("timeout");
                        System.exit(2);
                    }
                    System.out.println("acquired");
                }
                case "hold-and-exit" -> {
                    sem.acquire();
                    System.out.println("acquired");
                    System.exit(0); // no close, no release: the OS cleans up the process
                }
                case "acquire" -> {
                    System.out.println("waiting");
                    sem.acquire();
                    System.out.println("acquired");
                    if ("release".equals(stdin().readLine())) {
                        sem.release();
                        System.out.println("released");
                    }
                }
                case "release" -> System.out.println(sem.release(Integer.parseInt(args[2])));
                case "post" -> System.out.println(sem.release(args.length > 2 ? Integer.parseInt(args[2]) : 1) + 1);
                case "load" -> load(sem, Integer.parseInt(args[2]), java.nio.file.Path.of(args[3]));
                case "hold-forever" -> {
                    sem.acquire();
                    System.out.println("acquired");
                    Thread.sleep(Long.MAX_VALUE);
                }
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
        } catch (NamedSemaphoreException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(3);
        }
    }

    /**
     * CYCLES times: acquire, count itself in a counter shared by all load processes (a mapped
     * file, updated atomically), record the most holders ever seen, release.
     */
    private static void load(NamedSemaphore sem, int cycles, java.nio.file.Path counterFile) throws Exception {
        try (var channel = java.nio.channels.FileChannel.open(counterFile, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE); var arena = java.lang.foreign.Arena.ofConfined()) {
            var counters = channel.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, 8, arena);
            var ints = java.lang.foreign.ValueLayout.JAVA_INT.varHandle();
            for (int i = 0; i < cycles; i++) {
                sem.acquire();
                int holders = (int) ints.getAndAdd(counters, 0L, 1) + 1;
                int most;
                while ((most = (int) ints.getVolatile(counters, 4L)) < holders
                        && !ints.compareAndSet(counters, 4L, most, holders)) {
                    Thread.onSpinWait();
                }
                ints.getAndAdd(counters, 0L, -1);
                sem.release();
            }
        }
        System.out.println("done");
    }

    /**
     * Opens files until the process runs out of file descriptors, then tries to open the
     * semaphore (expecting a clear EMFILE error), closes the files and tries again.
     */
    private static void exhaustFileDescriptors(String name) throws Exception {
        NamedSemaphore.open(name).close(); // load every class the open path needs first
        try {
            NamedSemaphore.open(name + "-missing");
        } catch (NoSuchSemaphoreException expected) {
            // the failure path is loaded too
        }
        var files = new java.util.ArrayList<java.io.FileInputStream>();
        try {
            for (;;) {
                files.add(new java.io.FileInputStream("/dev/null"));
            }
        } catch (java.io.IOException outOfDescriptors) {
            // the limit is reached
        }
        try {
            NamedSemaphore.open(name).close();
            System.out.println("opened despite the limit");
        } catch (NamedSemaphoreException e) {
            System.out.println("refused " + e.errorName() + ": " + e.getMessage());
        }
        for (var f : files) {
            f.close();
        }
        try (NamedSemaphore sem = NamedSemaphore.open(name)) {
            System.out.println("recovered " + sem.availablePermits());
        }
    }
}
