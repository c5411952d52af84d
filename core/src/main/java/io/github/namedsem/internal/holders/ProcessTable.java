package io.github.namedsem.internal.holders;

import io.github.namedsem.SemaphoreHolder.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What Linux's {@code /proc} says about a process: whether it exists and when it started, in
 * clock ticks since boot ({@code /proc/PID/stat} field 22). The start time is what tells a holder
 * from a later process that got the same pid; unlike {@code ProcessHandle.Info.startInstant()} it
 * is exact and does not move when the wall clock is set.
 */
final class ProcessTable {
    private static final Path PROC = Path.of("/proc");
    /** {@code /proc/PID/stat} is one short line; the bound keeps a strange one from costing more. */
    private static final int STAT_LIMIT = 4096;

    private ProcessTable() {}

    /**
     * The start time of a process, or empty if no such process is visible or it has exited and
     * waits only to be reaped (a zombie holds nothing).
     */
    static OptionalLong startTicks(long pid) {
        try {
            byte[] stat = Bounded.read(PROC.resolve(Long.toString(pid)).resolve("stat"), STAT_LIMIT);
            String line = new String(stat, StandardCharsets.US_ASCII);
            // "pid (comm) state ppid ..." where comm may contain spaces and ')': fields follow the last ')'.
            String[] fields = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
            if (fields[0].equals("Z") || fields[0].equals("X")) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(Long.parseLong(fields[19])); // field 22 overall; fields[0] is field 3
        } catch (NoSuchFileException gone) {
            return OptionalLong.empty();
        } catch (IOException | RuntimeException unreadable) {
            return OptionalLong.empty();
        }
    }

    /** The start time of this process. */
    static long selfStartTicks() {
        return startTicks(ProcessHandle.current().pid()).orElse(-1);
    }

    /**
     * Whether the process recorded as {@code pid}, started at {@code ticks}, still runs. Dead only
     * when that is proven: {@code /proc} is there and does not hide other users' processes.
     */
    static State state(long pid, long ticks) {
        OptionalLong now = startTicks(pid);
        if (now.isPresent()) {
            return now.getAsLong() == ticks ? State.ALIVE : State.DEAD; // a different start: the pid was reused
        }
        return Files.isDirectory(PROC.resolve("self")) && !hidesProcesses() ? State.DEAD : State.UNKNOWN;
    }

    /** {@code /proc} mounted with {@code hidepid}: a missing pid may be another user's hidden process. */
    private static boolean hidesProcesses() {
        try {
            for (String mount : Files.readAllLines(PROC.resolve("self/mounts"))) {
                String[] f = mount.split(" ");
                if (f.length > 3 && f[1].equals("/proc") && f[3].contains("hidepid=") && !f[3].contains("hidepid=0")
                        && !f[3].contains("hidepid=off")) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException unreadable) {
            return true;
        }
    }
}
