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
 * </pre>
 * The commands and output match the C, C++ and Python peers', so tests can swap languages.
 */
public final class ChildMain {
    private ChildMain() {}

    private static BufferedReader stdin() {
        return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("unlink")) { // for the native-access tests: any native call will do
            System.out.println(NamedSemaphore.unlink(args[1]) ? "unlinked" : "absent");
            return;
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
}
