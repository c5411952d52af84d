package io.github.namedsem.bench;

import com.sun.jna.Pointer;
import io.github.namedsem.NamedSemaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Open an existing semaphore by name and close the handle again. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpenCloseBench {
    private String name;
    private NamedSemaphore keeper;

    @Setup
    public void create() {
        name = Names.unique("openclose");
        keeper = NamedSemaphore.create(name, 1);
    }

    @TearDown
    public void remove() {
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
