package io.github.namedsem.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Names no other test, run or engineer uses, and their removal after each test. */
final class TestNames {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final List<String> standard = new ArrayList<>();
    private final List<String> crashSafe = new ArrayList<>();

    /** A name for a standard semaphore. */
    String name(String hint) {
        String name = unique(hint);
        standard.add(name);
        return name;
    }

    /** A name for a crash-safe semaphore. */
    String crashSafe(String hint) {
        String name = unique(hint);
        crashSafe.add(name);
        return name;
    }

    private static String unique(String hint) {
        return "nscli-" + hint + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    void unlinkAll() throws Exception {
        for (String name : standard) {
            Files.deleteIfExists(Path.of("/dev/shm/sem." + name)); // what sem_unlink does on Linux
        }
        for (String name : crashSafe) {
            CliIT.run("unlink", name, "--force", "--crash-safe");
        }
        standard.clear();
        crashSafe.clear();
    }
}
