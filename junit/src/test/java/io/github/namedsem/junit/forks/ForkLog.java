package io.github.namedsem.junit.forks;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Appends "EVENT PID CLASS" lines to the file shared by both forks. One small O_APPEND write
 * per line, so lines from the two JVMs never interleave and their order in the file is the
 * order in which they happened.
 *
 * <p>As an extension registered before {@code @SemaphorePermit}, it logs "ready" before the
 * class asks for its permit: the checker uses that to see that the forks really ran at once.
 */
public final class ForkLog implements BeforeAllCallback {
    static final long HOLD_MILLIS = 300;

    static void write(String event, Class<?> where) {
        String line = event + " " + ProcessHandle.current().pid() + " " + where.getSimpleName() + "\n";
        try {
            Files.write(Path.of(System.getProperty("namedsem.forks.log")), line.getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Holds the permit long enough that the other fork, if it were let in, would overlap. */
    static void work(Class<?> where) throws InterruptedException {
        write("enter", where);
        Thread.sleep(HOLD_MILLIS);
        write("exit", where);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        warmUp();
        write("ready", context.getRequiredTestClass());
    }

    /**
     * Binds the native calls before "ready" is logged (a fresh JVM takes a good part of a
     * second for that on a loaded machine), so "ready" is close to the moment of asking.
     */
    private static void warmUp() {
        try {
            NamedSemaphore.open("nsjunit-warm-up-" + ProcessHandle.current().pid() + "-never-created",
                    SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE)).close();
        } catch (NoSuchSemaphoreException expected) {
            // the lookup itself is the point
        }
    }
}
