package io.github.namedsem.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one-line live status shown on stderr while waiting, when stderr is a terminal. It is
 * rewritten in place and erased when the wait ends, so it never ends up in logs or pipes.
 */
final class StatusLine {
    private final PrintStream err;
    private final boolean enabled;
    private boolean shown;

    StatusLine(PrintStream err, boolean quiet) {
        this.err = err;
        this.enabled = !quiet && stderrIsTerminal();
    }

    static boolean stderrIsTerminal() {
        try {
            // Linux: /proc/self/fd/2 links to /dev/pts/N or /dev/ttyN for a terminal.
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception notLinux) {
            var console = System.console();
            return console != null && console.isTerminal();
        }
    }

    /** Whether the line is shown at all: stderr is a terminal and -q was not given. */
    boolean enabled() {
        return enabled;
    }

    void show(String text) {
        if (enabled) {
            err.print("\r\033[K" + text);
            err.flush();
            shown = true;
        }
    }

    void clear() {
        if (shown) {
            err.print("\r\033[K");
            err.flush();
            shown = false;
        }
    }
}
