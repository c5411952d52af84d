package io.github.namedsem.examples;

import io.github.namedsem.NamedSemaphore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Java producer and a Python consumer hand work over through two named semaphores: Java
 * writes a file and releases {@code NAME-ready}; Python (src/main/python/consumer.py, plain
 * ctypes over libc's sem_open, no packages) waits on it, processes the file, and releases
 * {@code NAME-done}, which Java waits for. Standard (POSIX) semaphores, so Python opens them by
 * name.
 */
public final class PythonHandoff {
    private PythonHandoff() {}

    /**
     * Hands {@code text} to the Python consumer and returns its answer.
     *
     * @param name the common start of both semaphores' names
     * @param consumer the path of consumer.py
     * @param text the work
     * @param work the file to exchange it through
     * @return what the consumer wrote back
     * @throws IOException if the file or the process fails
     * @throws InterruptedException if interrupted while waiting
     */
    public static String handOff(String name, Path consumer, String text, Path work)
            throws IOException, InterruptedException {
        try (var ready = NamedSemaphore.create(name + "-ready", 0, 1);
             var done = NamedSemaphore.create(name + "-done", 0, 1)) {
            try {
                Process python = new ProcessBuilder("python3", consumer.toString(), ready.name(), done.name(),
                        work.toString()).inheritIO().start();
                Files.writeString(work, text);
                ready.release();                                // the file is complete: go
                if (!done.tryAcquire(Duration.ofSeconds(30))) { // the answer is in the file
                    python.destroy();
                    throw new IOException("the Python consumer gave no answer within 30 s");
                }
                python.waitFor(30, TimeUnit.SECONDS);
                return Files.readString(work);
            } finally {
                ready.unlink();
                done.unlink();
            }
        }
    }

    /**
     * Hands "hello from Java" to src/main/python/consumer.py.
     *
     * @param args the path of consumer.py
     * @throws Exception if the hand-off fails
     */
    public static void main(String[] args) throws Exception {
        Path work = Files.createTempFile("handoff", ".txt");
        try {
            String name = "example-handoff-" + ProcessHandle.current().pid();
            System.out.println(handOff(name, Path.of(args[0]), "hello from Java", work));
        } finally {
            Files.delete(work);
        }
    }
}
