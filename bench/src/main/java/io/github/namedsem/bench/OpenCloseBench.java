package io.github.namedsem.bench;

import com.sun.jna.Pointer;
import io.github.namedsem.NamedSemaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Open an existing semaphore by name and close the handle again, with {@code parked} other
 * platform threads parked in the process: unmapping a shared arena's mapping is a handshake with
 * every thread, so a process with many threads is where namedsem's close could cost most.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpenCloseBench {
    @Param({"0", "1000"})
    public int parked;

    private String name;
    private NamedSemaphore keeper;
    private final CountDownLatch end = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    @Setup
    public void create() {
        name = Names.unique("openclose");
        keeper = NamedSemaphore.create(name, 1);
        for (int i = 0; i < parked; i++) {
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    end.await();
                } catch (InterruptedException ended) {
                    // the trial is over
                }
            }));
        }
    }

    @TearDown
    public void remove() throws InterruptedException {
        end.countDown();
        for (Thread t : threads) {
            t.join();
        }
        keeper.close();
        NamedSemaphore.unlink(name);
    }

    @Benchmark
    public void namedsemOpenClose() {
        NamedSemaphore.open(name).close();
    }

    @Benchmark
    public int ffmOpenClose() throws Throwable {
        return BareFfm.close(BareFfm.open("/" + name));
    }

    @Benchmark
    public int jnaOpenClose() {
        Pointer sem = JnaLibC.sem_open("/" + name, 0, 0, 0);
        return JnaLibC.sem_close(sem);
    }
}
