package io.github.namedsem.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A round trip between two threads of one JVM: release PING, wait for PONG, which a partner
 * thread releases once it got PING. Two hand-offs per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HandoffBench {
    @Param({"namedsem", "ffm", "juc"})
    public String impl;

    private PingPongPair pair;
    private final Semaphore jucPing = new Semaphore(0);
    private final Semaphore jucPong = new Semaphore(0);

    @Setup(Level.Trial)
    public void start() throws Throwable {
        pair = new PingPongPair();
        Thread.ofPlatform().daemon().name("partner").start(() -> {
            try {
                switch (impl) {
                    case "namedsem" -> Partner.namedsem(pair.ping, pair.pong);
                    case "ffm" -> Partner.ffm(pair.rawPing, pair.rawPong);
                    default -> Partner.juc(jucPing, jucPong);
                }
            } catch (Throwable stopped) {
                // the trial is over
            }
        });
    }

    @TearDown(Level.Trial)
    public void stop() {
        pair.unlink();
    }

    @Benchmark
    public void roundTrip() throws Throwable {
        if (impl.equals("juc")) {
            jucPing.release();
            jucPong.acquire();
        } else {
            pair.roundTrip(impl);
        }
    }
}
