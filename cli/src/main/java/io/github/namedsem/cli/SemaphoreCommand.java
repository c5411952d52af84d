package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;

/** What every command about one named semaphore shares: its NAME, and the output streams. */
abstract class SemaphoreCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "the semaphore's name, e.g. jobs")
    String name;

    /** Set by picocli; null when {@link RunArguments} parsed the command line without it. */
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    private PrintWriter err;

    PrintWriter out() {
        if (spec != null) {
            return spec.commandLine().getOut();
        }
        return out == null ? out = new PrintWriter(System.out, true) : out;
    }

    PrintWriter err() {
        if (spec != null) {
            return spec.commandLine().getErr();
        }
        return err == null ? err = new PrintWriter(System.err, true) : err;
    }

    /** One line on stderr about something given that has no effect; the command goes on. */
    void warn(String text) {
        err().println("namedsem: warning: " + text);
        err().flush();
    }

    /**
     * Says on stderr that no permit came within the timeout, and returns the exit status for it
     * ({@code -E}).
     */
    int timedOut(NamedSemaphore sem, WaitOptions wait) {
        if (wait.timeout() == null) {
            // No time limit: a signal ended the wait, and the JVM is exiting with its status.
            return ExitCodes.ERROR;
        }
        err().println(wait.timeout().isZero()
                ? "namedsem: no permit of " + sem.osName() + " is free (" + Waiting.freeText(sem) + ")"
                : "namedsem: timed out after " + Durations.format(wait.timeout()) + " waiting for a permit of "
                        + sem.osName() + " (" + Waiting.freeText(sem) + ")");
        err().flush();
        return wait.conflictExitCode;
    }
}
