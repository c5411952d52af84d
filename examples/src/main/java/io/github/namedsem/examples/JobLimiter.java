package io.github.namedsem.examples;

import io.github.namedsem.NamedSemaphore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs a command, but at most N at once on this machine, however many shells, cron jobs or
 * CI steps start it: {@code JobLimiter jobs 2 make -j8}.
 *
 * <p>The semaphore outlives the processes (remove it with {@code namedsem unlink jobs}); the
 * first caller creates it with N permits, later callers open it as it is.
 */
public final class JobLimiter {
    private JobLimiter() {}

    /**
     * Waits for a permit, runs the command with inherited stdio, gives the permit back.
     *
     * @param name the semaphore's name
     * @param limit how many commands may run at once (used by whoever creates the semaphore)
     * @param command the command and its arguments
     * @param patience how long to wait for a permit
     * @return the command's exit status, or 75 (EX_TEMPFAIL) when no permit came in time
     * @throws IOException if the command cannot be started
     * @throws InterruptedException if interrupted while waiting or running
     */
    public static int run(String name, int limit, List<String> command, Duration patience)
            throws IOException, InterruptedException {
        try (var sem = NamedSemaphore.openOrCreate(name, limit, limit)) {
            if (!sem.tryAcquire(patience)) {
                System.err.printf("no free slot of %s within %s; %d of %d free now%n",
                        sem.name(), patience, sem.availablePermits(), limit);
                return 75;
            }
            try {
                return new ProcessBuilder(command).inheritIO().start().waitFor();
            } finally {
                sem.release();
            }
        }
    }

    /**
     * {@code JobLimiter NAME LIMIT COMMAND [ARGS...]}.
     *
     * @param args the name, the limit, the command
     * @throws Exception if the command cannot be run
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: JobLimiter NAME LIMIT COMMAND [ARGS...]");
            System.exit(2);
        }
        List<String> command = List.of(args).subList(2, args.length);
        System.exit(run(args[0], Integer.parseInt(args[1]), command, Duration.ofHours(1)));
    }
}
