package io.github.namedsem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** bin/namedsem and shell one-liners in an environment the test chooses, as cron or env -i would run them. */
final class Shell {
    private Shell() {}

    /** The environment of {@code env -i PATH=/usr/bin:/bin} plus {@code extra}: no HOME, no JAVA_HOME, no locale. */
    static Map<String, String> bare(String... extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", "/usr/bin:/bin", "NAMEDSEM_NO_BUILD", "1"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return env;
    }

    static CliIT.Result namedsem(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CliIT.root().resolve("bin/namedsem").toString()));
        command.addAll(List.of(args));
        return run(env, command);
    }

    /** {@code sh -c script} with $1.. as {@code args}, in the test's own environment. */
    static CliIT.Result sh(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        command.addAll(List.of(args));
        return run(null, command);
    }

    static CliIT.Result run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ended", command).isTrue();
        return new CliIT.Result(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether {@code text} is valid JSON, by Python's parser (python3 is already a test requirement). */
    static boolean isJson(String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c", "import json,sys; json.loads(sys.stdin.buffer.read().decode('utf-8'))")
                .redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }
}
