package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run from which the build records namedsem's ahead-of-time cache (JDK 25's
 * {@code -XX:AOTCacheOutput}, JEP 483/514): it goes through what most invocations do, so that
 * their classes come loaded and linked from the cache: a {@code run} of each kind by the lean
 * path, and one command through picocli's full model. The semaphores have names of their own
 * and are removed at the end. Not a command: the build calls it, see {@code cli/pom.xml}.
 */
final class AotTraining {
    private AotTraining() {}

    /** Args: the file to write this JVM's home and version into, which the launcher reads. */
    public static void main(String[] args) throws IOException {
        // One name per kind: a name that exists as one kind is refused for the other.
        String name = "namedsem-aot-training-" + ProcessHandle.current().pid();
        String crashSafe = name + "-crash-safe";
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            expect(0, Main.run(new String[] {"run", name, "--create", "-w", "5", "--", "true"}));
            expect(0, Main.run(new String[] {"run", crashSafe, "--crash-safe", "--create", "-w", "5", "--", "true"}));
            expect(0, Main.commandLine().execute("info", name, "--json"));
        } finally {
            NamedSemaphore.unlink(name);
            NamedSemaphore.unlink(crashSafe, SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE));
            System.setOut(out);
        }
        // The JDK's home and its runtime version, as its release file says (JAVA_RUNTIME_VERSION):
        // the launcher offers the cache only to that JDK, and checks that it is still there.
        Files.writeString(Path.of(args[0]), Path.of(System.getProperty("java.home")).toRealPath() + "\n"
                + System.getProperty("java.runtime.version") + "\n");
    }

    private static void expect(int expected, int status) {
        if (status != expected) {
            throw new IllegalStateException("the AOT training run exited with " + status + ", not " + expected);
        }
    }
}
