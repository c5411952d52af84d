package io.github.namedsem.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * CI's smoke run of the benchmarks: one short iteration of every benchmark and comparator,
 * so the module keeps compiling and running. Its figures are not checked; the full run
 * (bench/run) is where targets are measured.
 */
@EnabledOnOs(OS.LINUX)
class BenchSmokeIT {

    @Test
    void everyBenchmarkAndComparatorRunsAndTheReportIsWritten() throws Exception {
        Path out = Path.of(System.getProperty("namedsem.bench.out"));
        Path root = Path.of(System.getProperty("user.dir")).getParent(); // failsafe runs in bench/
        String java = ProcessHandle.current().info().command().orElseThrow();
        // Another JMH run on the machine holds JMH's lock; the smoke's figures are not read, so it need not wait.
        Process p = new ProcessBuilder(List.of(java, "-Djmh.ignoreLock=true", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("namedsem.bench.classpath"), Report.class.getName(), "--smoke",
                "--out", out.toString(), "--work", out.resolve("work").toString(),
                "--sources", root.resolve("bench/src/main").toString()))
                .redirectErrorStream(true).redirectOutput(out.getParent().resolve("bench-smoke.log").toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        String log = Files.readString(out.getParent().resolve("bench-smoke.log"));
        assertThat(p.exitValue()).as(log).isZero();
        String report = Files.readString(out.resolve("benchmarks.md"));
        assertThat(report).contains("Smoke run").contains("## Targets")
                .contains("| namedsem |").contains("| C |").contains("| JNA |").contains("| Python ctypes |")
                .contains("| bare FFM, critical |").contains("| j.u.c.Semaphore |").contains("| " + Report.PREVIOUS + " |")
                .contains(Report.PING_PONG.get("1cpu")).contains(Report.PING_PONG.get("2cpu"))
                .contains(Report.OPEN_CLOSE.get(Report.PARKED)).contains("### Wake latency").contains("### CPU of waiters")
                .contains("1,000 idle platform threads").contains("## Start-up");
        assertThat(Files.size(out.resolve("benchmarks.png"))).isGreaterThan(1000);
    }
}
