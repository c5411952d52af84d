package io.github.namedsem.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
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
 * A round trip between two processes: release PING, wait for PONG, which a partner process
 * (another JVM, using the same implementation) releases once it got PING. {@code pin} runs both
 * anywhere, both on CPU 0 (every wake-up is a context switch on one core), or this one on CPU 0
 * and the partner on CPU 1 (every wake-up crosses cores), as {@code semb pingpong} does in C.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PingPongBench {
    @Param({"namedsem", "ffm"})
    public String impl;

    @Param({"none", "1cpu", "2cpu"})
    public String pin;

    private PingPongPair pair;
    private Process partner;

    @Setup(Level.Trial)
    public void start() throws Throwable {
        pair = new PingPongPair();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Partner.class.getName(), impl, pair.pingName, pair.pongName));
        if (!pin.equals("none")) {
            // This JVM's threads, JIT and GC included, on CPU 0; the partner's from its start.
            Cpus.pin(ProcessHandle.current().pid(), 0);
            command.addAll(0, Cpus.taskset(pin.equals("1cpu") ? 0 : 1));
        }
        partner = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String ready = new BufferedReader(new InputStreamReader(partner.getInputStream())).readLine();
        if (!"ready".equals(ready)) {
            throw new IllegalStateException("partner process did not start: " + ready);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        partner.destroyForcibly().waitFor();
        pair.unlink();
    }

    @Benchmark
    public void roundTrip() throws Throwable {
        pair.roundTrip(impl);
    }
}
