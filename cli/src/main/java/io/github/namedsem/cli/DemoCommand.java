package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start K worker processes that compete for M permits, and print a timeline showing that never"
                + " more than M hold one at once.",
            "",
            "Each worker is a separate JVM using its own handle to one named semaphore; the semaphore is removed"
                    + " at the end."})
final class DemoCommand implements Callable<Integer> {
    private record Event(long micros, long worker, boolean enter) {}

    @Option(names = "--workers", paramLabel = "K", defaultValue = "5", description = "worker processes (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--permits", paramLabel = "M", defaultValue = "2", description = "permits (default: ${DEFAULT-VALUE})")
    int permits;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "3", description = "times each worker takes a permit (default: ${DEFAULT-VALUE})")
    int rounds;

    @CommandLine.Mixin
    KindOption kind;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (workers < 1 || permits < 1 || rounds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workers, --permits and --rounds must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        String name = "namedsem-demo-" + ProcessHandle.current().pid();
        try (NamedSemaphore sem = NamedSemaphore.create(name, permits, kind.options())) {
            out.printf("Semaphore %s with %d permits; starting %d worker processes, %d rounds each.%n%n",
                    sem.osName(), permits, workers, rounds);
            out.flush();
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                processes.add(new ProcessBuilder(SelfLauncher.command("demo-worker", name, Integer.toString(rounds),
                                kind.crashSafe ? "crash-safe" : "standard"))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            List<Event> events = new ArrayList<>();
            for (Process p : processes) {
                events.addAll(readEvents(p));
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("worker process " + p.pid() + " failed with status " + p.exitValue());
                }
            }
            int most = printTimeline(out, events);
            out.printf("%nAt most %d of %d processes held a permit at once (limit %d). Permits free now: %d of %d.%n",
                    most, workers, permits, sem.availablePermits(), permits);
            if (most > permits) {
                throw new IllegalStateException("more holders than permits: this is a bug, please report it");
            }
        } finally {
            NamedSemaphore.unlink(name, kind.options());
        }
        return ExitCodes.OK;
    }

    private static List<Event> readEvents(Process p) throws IOException {
        List<Event> events = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] parts = line.split(" ");
                events.add(new Event(Long.parseLong(parts[1]), p.pid(), parts[0].equals("enter")));
            }
        }
        return events;
    }

    /** Prints the events in time order with a bar of current holders; returns the most at once. */
    private int printTimeline(PrintWriter out, List<Event> events) {
        events.sort(Comparator.comparingLong(Event::micros).thenComparing(Event::enter)); // leave first on ties
        long start = events.isEmpty() ? 0 : events.get(0).micros();
        int holders = 0;
        int most = 0;
        for (Event e : events) {
            holders += e.enter() ? 1 : -1;
            most = Math.max(most, holders);
            String bar = "#".repeat(holders) + ".".repeat(Math.max(0, permits - holders));
            out.printf("  %7.3fs  process %-7d %-9s  holders [%s] %d/%d%n", (e.micros() - start) / 1e6,
                    e.worker(), e.enter() ? "acquired" : "released", bar, holders, permits);
        }
        return most;
    }
}
