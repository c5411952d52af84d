package io.github.namedsem.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Pins processes to CPUs with taskset(1), for the ping-pong on one core and on two. */
final class Cpus {
    private Cpus() {}

    /** The prefix that starts a command on {@code cpu} only. */
    static List<String> taskset(int cpu) {
        return List.of("taskset", "-c", Integer.toString(cpu));
    }

    /** Moves every thread of a running process to {@code cpu}; threads it starts later inherit it. */
    static void pin(long pid, int cpu) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("taskset", "-a", "-p", "-c", Integer.toString(cpu), Long.toString(pid)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed (is util-linux's taskset installed?): " + output);
        }
    }
}
