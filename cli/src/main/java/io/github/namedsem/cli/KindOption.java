package io.github.namedsem.cli;

import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import picocli.CommandLine.Option;

/** {@code --crash-safe}, for the commands that can use either kind. */
final class KindOption {
    @Option(names = "--crash-safe", description = "a crash-safe semaphore (Linux: System V with SEM_UNDO): permits"
            + " come back when their holder dies, even by kill -9. Other programs see it by its System V key,"
            + " not by name.")
    boolean crashSafe;

    SemaphoreKind kind() {
        return crashSafe ? SemaphoreKind.CRASH_SAFE : SemaphoreKind.STANDARD;
    }

    SemaphoreOptions options() {
        return SemaphoreOptions.defaults().kind(kind());
    }
}
