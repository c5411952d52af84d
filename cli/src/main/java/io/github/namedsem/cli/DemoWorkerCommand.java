package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** One worker process of {@code demo}; hidden from help. */
@Command(name = "demo-worker", hidden = true)
final class DemoWorkerCommand implements Callable<Integer> {
    @Parameters(index = "0")
    String name;

    @Parameters(index = "1")
    int rounds;

    @Parameters(index = "2")
    String kind;

    @Override
    public Integer call() throws InterruptedException {
        var options = io.github.namedsem.SemaphoreOptions.defaults().kind(kind.equals("crash-safe")
                ? io.github.namedsem.SemaphoreKind.CRASH_SAFE : io.github.namedsem.SemaphoreKind.STANDARD);
        try (NamedSemaphore sem = NamedSemaphore.open(name, options)) {
            for (int r = 0; r < rounds; r++) {
                try (var _ = sem.permit()) {
                    // Reported right after acquiring and right before releasing: inside the real
                    // holding time, so the demo's overlap count can only err low, never high.
                    System.out.println("enter " + nowMicros());
                    Thread.sleep(ThreadLocalRandom.current().nextInt(150, 400));
                    System.out.println("leave " + nowMicros());
                }
                Thread.sleep(ThreadLocalRandom.current().nextInt(10, 80));
            }
        }
        return ExitCodes.OK;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
