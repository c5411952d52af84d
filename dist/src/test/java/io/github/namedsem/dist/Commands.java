package io.github.namedsem.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a real process to its end and keeps what it printed. */
record Commands(Path workDir, Map<String, String> environment) {
    record Result(int status, String out, String err) {
        String all() {
            return out + err;
        }
    }

    Result run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().putAll(environment);
        Process p = pb.start();
        p.getOutputStream().close();
        var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        // Generous: the machine is shared and each command starts a JVM.
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s ended", command).isTrue();
        return new Result(p.exitValue(), out.join(), err.join());
    }

    Result ok(List<String> command) throws IOException, InterruptedException {
        Result r = run(command);
        assertThat(r.status()).as("%s failed: %s", command, r.all()).isZero();
        return r;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
