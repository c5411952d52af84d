package io.github.namedsem.examples;

import io.github.namedsem.NamedSemaphore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The quick-start demo: K worker processes compete for M permits of one named semaphore, and
 * a timeline shows that never more than M hold one at once.
 *
 * <p>Each worker is a separate JVM. It reports the wall-clock time right after it acquired a
 * permit and right before it releases it; because those instants lie inside the time it really
 * held the permit, counting overlaps of the reported intervals can only under-count holders,
 * never over-count them. So "at most M at once" in the timeline is a real observation.
 *
 * <p>Usage: {@code Demo [--workers K] [--permits M] [--rounds R]}.
 */
public final class Demo {
    private record Event(long micros, int worker, boolean enter) {}

    private Demo() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker")) {
            worker(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            return;
        }
        int workers = intOption(args, "--workers", 5);
        int permits = intOption(args, "--permits", 2);
        int rounds = intOption(args, "--rounds", 3);
        String name = "namedsem-demo-" + ProcessHandle.current().pid();

        try (NamedSemaphore sem = NamedSemaphore.create(name, permits)) {
            System.out.printf("Semaphore %s with %d permits; starting %d worker processes, %d rounds each.%n%n",
                    sem.osName(), permits, workers, rounds);
            List<Process> processes = new ArrayList<>();
            for (int i = 1; i <= workers; i++) {
                processes.add(startWorker(name, i, rounds));
            }
            List<Event> events = new ArrayList<>();
            for (Process p : processes) {
                events.addAll(readEvents(p));
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("worker process " + p.pid() + " failed with status " + p.exitValue());
                }
            }
            int most = printTimeline(events, workers, permits);
            System.out.printf("%nAt most %d of %d processes held a permit at once (limit %d). Permits free now: %d of %d.%n",
                    most, workers, permits, sem.availablePermits(), permits);
            if (most > permits) {
                throw new IllegalStateException("more holders than permits: this is a bug, please report it");
            }
        } finally {
            NamedSemaphore.unlink(name);
        }
    }

    private static void worker(String name, int id, int rounds) throws InterruptedException {
        try (NamedSemaphore sem = NamedSemaphore.open(name)) {
            for (int r = 0; r < rounds; r++) {
                try (var permit = sem.permit()) {
                    System.out.println("enter " + nowMicros());
                    Thread.sleep(ThreadLocalRandom.current().nextInt(150, 400));
                    System.out.println("leave " + nowMicros());
                }
                Thread.sleep(ThreadLocalRandom.current().nextInt(10, 80));
            }
        }
    }

    private static long nowMicros() {
        var now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static Process startWorker(String name, int id, int rounds) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=io.github.namedsem"));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null) {
            command.addAll(List.of("--module-path", modulePath, "--module", "io.github.namedsem.examples/" + Demo.class.getName()));
        } else {
            command.set(1, "--enable-native-access=ALL-UNNAMED");
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Demo.class.getName()));
        }
        command.addAll(List.of("worker", name, Integer.toString(id), Integer.toString(rounds)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static List<Event> readEvents(Process p) throws IOException {
        List<Event> events = new ArrayList<>();
        int worker = (int) p.pid();
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] parts = line.split(" ");
                events.add(new Event(Long.parseLong(parts[1]), worker, parts[0].equals("enter")));
            }
        }
        return events;
    }

    /** Prints the events in time order with a bar of current holders; returns the most at once. */
    private static int printTimeline(List<Event> events, int workers, int permits) {
        events.sort(Comparator.comparingLong(Event::micros).thenComparing(e -> e.enter)); // leave before enter on ties
        long start = events.isEmpty() ? 0 : events.get(0).micros;
        int holders = 0;
        int most = 0;
        for (Event e : events) {
            holders += e.enter ? 1 : -1;
            most = Math.max(most, holders);
            String bar = "#".repeat(holders) + ".".repeat(Math.max(0, permits - holders));
            System.out.printf("  %7.3fs  process %-7d %-9s  holders [%s] %d/%d%n", (e.micros - start) / 1e6,
                    e.worker, e.enter ? "acquired" : "released", bar, holders, permits);
        }
        return most;
    }

    private static int intOption(String[] args, String option, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(option)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
