package io.github.namedsem.bench;

import io.github.namedsem.NamedSemaphore;
import java.lang.foreign.MemorySegment;
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

    private String pingName;
    private String pongName;
    private NamedSemaphore ping;
    private NamedSemaphore pong;
    private MemorySegment rawPing;
    private MemorySegment rawPong;
    private final Semaphore jucPing = new Semaphore(0);
    private final Semaphore jucPong = new Semaphore(0);

    @Setup(Level.Trial)
    public void start() throws Throwable {
        pingName = Names.unique("ping");
        pongName = Names.unique("pong");
        ping = NamedSemaphore.create(pingName, 0, 1);
        pong = NamedSemaphore.create(pongName, 0, 1);
        rawPing = BareFfm.open("/" + pingName);
        rawPong = BareFfm.open("/" + pongName);
        Thread.ofPlatform().daemon().name("partner").start(() -> {
            try {
                switch (impl) {
                    case "namedsem" -> Partner.namedsem(ping, pong);
                    case "ffm" -> Partner.ffm(rawPing, rawPong);
                    default -> Partner.juc(jucPing, jucPong);
                }
            } catch (Throwable stopped) {
                // the trial is over
            }
        });
    }

    @TearDown(Level.Trial)
    public void stop() {
        NamedSemaphore.unlink(pingName);
        NamedSemaphore.unlink(pongName);
    }

    @Benchmark
    public void roundTrip() throws Throwable {
        switch (impl) {
            case "namedsem" -> {
                ping.release();
                pong.acquire();
            }
            case "ffm" -> {
                BareFfm.post(rawPing);
                BareFfm.await(rawPong);
            }
            default -> {
                jucPing.release();
                jucPong.acquire();
            }
        }
    }
}
