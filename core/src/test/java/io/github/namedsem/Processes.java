package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts real peer processes for the tests: child JVMs running {@link ChildMain}, and the C
 * peer ({@code src/test/c/peer.c}), compiled with gcc on first use.
 */
final class Processes {
    private Processes() {}

    /** A running peer with line access to its stdout and stdin. */
    static final class Peer implements AutoCloseable {
        final Process process;
        private final BufferedReader out;
        private final Writer in;

        Peer(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** The next line of stdout; fails the test if the peer ends without one. */
        String readLine() {
            try {
                String line = out.readLine();
                assertThat(line).as("a line from peer %d (exit %s)", process.pid(),
                        process.isAlive() ? "still running" : process.exitValue()).isNotNull();
                return line;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void send(String line) {
            try {
                in.write(line + "\n");
                in.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int waitFor() throws InterruptedException {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("peer %d ended in time", process.pid()).isTrue();
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts a child JVM running {@link ChildMain} with the given arguments. */
    static Peer jvm(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "--enable-native-access=ALL-UNNAMED",
                "-cp", property("namedsem.test.mainClasses") + java.io.File.pathSeparator
                        + property("namedsem.test.testClasses"),
                ChildMain.class.getName()));
        command.addAll(List.of(args));
        return new Peer(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Starts the C peer with the given arguments. */
    static Peer c(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(cPeer().toString()));
        command.addAll(List.of(args));
        return new Peer(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Runs the C peer to completion and returns its one line of output. */
    static String cRun(String... args) throws IOException, InterruptedException {
        try (Peer peer = c(args)) {
            String line = peer.readLine();
            peer.waitFor();
            return line;
        }
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    private static Path compiledPeer;

    /** Compiles src/test/c/peer.c with gcc once per test run. */
    static synchronized Path cPeer() throws IOException {
        if (compiledPeer == null) {
            Path dir = Files.createDirectories(Path.of(property("namedsem.test.workDir")));
            Path source = Path.of(property("namedsem.test.testClasses"))
                    .resolve("../../src/test/c/peer.c").normalize();
            Path binary = dir.resolve("peer");
            ProcessBuilder gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-o", binary.toString(), source.toString())
                    .redirectErrorStream(true);
            Process p;
            try {
                p = gcc.start();
            } catch (IOException e) {
                throw new IOException("The C interop tests need gcc on the PATH (apt-get install gcc)", e);
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                assertThat(p.waitFor()).as("gcc output: %s", output).isZero();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            compiledPeer = binary;
        }
        return compiledPeer;
    }

    private static String property(String key) {
        String value = System.getProperty(key);
        assertThat(value).as("system property %s (set by the Maven build)", key).isNotNull();
        return value;
    }
}
