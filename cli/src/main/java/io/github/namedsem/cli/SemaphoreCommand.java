package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Parameters;

/** What every command about one named semaphore shares: its NAME, and picocli's streams. */
abstract class SemaphoreCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "the semaphore's name, e.g. jobs")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Says on stderr that no permit came within the timeout, and returns the exit status for it. */
    int timedOut(NamedSemaphore sem, Duration timeout) {
        err().println("namedsem: timed out after " + Durations.format(timeout) + " waiting for a permit of "
                + sem.osName() + " (" + Waiting.freeText(sem) + ")");
        return ExitCodes.TIMED_OUT;
    }
}
