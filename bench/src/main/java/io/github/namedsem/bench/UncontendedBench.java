package io.github.namedsem.bench;

import com.sun.jna.Pointer;
import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Take and give back one permit with nobody else around: the hot path, and its floor. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UncontendedBench {
    private String name;
    private NamedSemaphore sem;
    private NamedSemaphore crashSafe;
    private MemorySegment raw;
    private Pointer jna;
    private final Semaphore juc = new Semaphore(1);

    @Setup
    public void open() throws Throwable {
        name = Names.unique("uncontended");
        sem = NamedSemaphore.create(name, 1);
        crashSafe = NamedSemaphore.create(name + "-cs", 1, SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE));
        raw = BareFfm.open("/" + name);
        jna = JnaLibC.sem_open("/" + name, 0, 0, 0);
    }

    @TearDown
    public void close() throws Throwable {
        BareFfm.close(raw);
        JnaLibC.sem_close(jna);
        sem.close();
        NamedSemaphore.unlink(name);
        crashSafe.close();
        NamedSemaphore.unlink(name + "-cs", SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE));
    }

    @Benchmark
    public boolean namedsemTryAcquireRelease() {
        boolean got = sem.tryAcquire();
        sem.release();
        return got;
    }

    /** The System V kind: measured for its allocation (0 B/op is a target on every kind), not its speed. */
    @Benchmark
    public boolean crashSafeTryAcquireRelease() {
        boolean got = crashSafe.tryAcquire();
        crashSafe.release();
        return got;
    }

    @Benchmark
    public void namedsemAcquireRelease() throws InterruptedException {
        sem.acquire();
        sem.release();
    }

    @Benchmark
    public int ffmTrywaitPost() throws Throwable {
        int rc = BareFfm.trywait(raw);
        BareFfm.post(raw);
        return rc;
    }

    @Benchmark
    public int ffmCriticalTrywaitPost() throws Throwable {
        int rc = BareFfm.trywaitCritical(raw);
        BareFfm.postCritical(raw);
        return rc;
    }

    @Benchmark
    public int jnaTrywaitPost() {
        int rc = JnaLibC.sem_trywait(jna);
        JnaLibC.sem_post(jna);
        return rc;
    }

    @Benchmark
    public boolean jucTryAcquireRelease() {
        boolean got = juc.tryAcquire();
        juc.release();
        return got;
    }
}
