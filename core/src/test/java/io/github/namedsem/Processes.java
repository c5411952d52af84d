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
 * Starts real peer processes for the tests: child JVMs running {@link ChildMain}, and peers in
 * other languages written against their own ecosystem's API: C ({@code src/test/c/peer.c},
 * gcc), C++ with Boost.Interprocess ({@code src/test/cpp/boost_peer.cpp}, g++) and Python with
 * ctypes ({@code src/test/python/peer.py}). Compiled on first use.
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

        /** The next line of stdout, or null at its end. */
        String readLineOrNull() {
            try {
                return out.readLine();
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
        return new Peer(new ProcessBuilder(jvmCommand(List.of(), args)).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /**
     * The command line of a child JVM running {@link ChildMain}.
     *
     * @param prefix what runs the JVM, such as {@code setpriv ...} or {@code sh -c 'ulimit ...; exec "$@"' sh}
     */
    static List<String> jvmCommand(List<String> prefix, String... args) {
        return jvmCommandWithClassPath(prefix, property("namedsem.test.mainClasses") + java.io.File.pathSeparator
                + property("namedsem.test.testClasses"), args);
    }

    static List<String> jvmCommandWithClassPath(List<String> prefix, String classPath, String... args) {
        List<String> command = new ArrayList<>(prefix);
        // Small, quick JVMs: some tests start fifty of them at once.
        command.add(javaExecutable());
        command.addAll(Win32Emulation.childJvmOptions());
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-Xss512k",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath, ChildMain.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs a command to completion; its exit status and all its stdout. */
    record Outcome(int status, String out) {}

    static Outcome runToEnd(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s ended", command).isTrue();
        return new Outcome(p.exitValue(), out);
    }

    /**
     * The languages of the peers. All speak the same commands with the same output (see
     * {@link ChildMain}); each spells the semaphore name its own way.
     */
    enum Lang {
        JAVA, C, BOOST, PYTHON;

        /** The name as this language's own API spells the semaphore that namedsem calls {@code portable}. */
        String spell(String portable) {
            return this == BOOST || this == JAVA ? portable : "/" + portable;
        }

        /** Starts a peer; the NAME argument (the second) is spelled for this language. */
        Peer start(String... args) throws IOException {
            String[] spelled = args.clone();
            if (spelled.length > 1) {
                spelled[1] = spell(spelled[1]);
            }
            if (this == JAVA) {
                return jvm(spelled);
            }
            List<String> command = new ArrayList<>(switch (this) {
                case C -> List.of(cPeer().toString());
                case BOOST -> List.of(boostPeer().toString());
                case PYTHON -> List.of("python3", sourceDir().resolve("python/peer.py").toString());
                case JAVA -> throw new AssertionError();
            });
            command.addAll(List.of(spelled));
            return new Peer(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        /** Runs a peer to completion and returns its last line of output. */
        String run(String... args) throws IOException, InterruptedException {
            try (Peer peer = start(args)) {
                String last = peer.readLine();
                for (String line; (line = peer.readLineOrNull()) != null; ) {
                    last = line;
                }
                peer.waitFor();
                return last;
            }
        }
    }

    /**
     * Starts one contender per entry, waits until every one is up, then lets all of them try
     * at once to take a permit without waiting, holding it {@code holdMillis} if they get it.
     *
     * @return each contender's result, acquired or timeout, in order
     */
    static List<String> contend(List<Lang> contenders, String name, long holdMillis) throws Exception {
        List<Peer> peers = new ArrayList<>();
        try {
            for (Lang lang : contenders) {
                peers.add(lang.start("try", name, Long.toString(holdMillis)));
            }
            for (Peer peer : peers) {
                assertThat(peer.readLine()).isEqualTo("ready");
            }
            peers.forEach(peer -> peer.send("go"));
            List<String> results = new ArrayList<>();
            for (Peer peer : peers) {
                results.add(peer.readLine());
            }
            for (Peer peer : peers) {
                assertThat(peer.waitFor()).isIn(0, 2);
            }
            return results;
        } finally {
            peers.forEach(Peer::close);
        }
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    private static Path compiledC;
    private static Path compiledBoost;

    private static Path sourceDir() {
        return Path.of(property("namedsem.test.testClasses")).resolve("../../src/test").normalize();
    }

    /** Compiles src/test/c/peer.c with gcc once per test run. */
    static synchronized Path cPeer() throws IOException {
        if (compiledC == null) {
            compiledC = compile("gcc", "c/peer.c", "peer", "apt-get install gcc libc6-dev");
        }
        return compiledC;
    }

    private static Path compiledSysv;

    /** Compiles src/test/c/sysv_peer.c, the C peer of the crash-safe kind, once per test run. */
    static synchronized Path sysvPeer() throws IOException {
        if (compiledSysv == null) {
            compiledSysv = compile("gcc", "c/sysv_peer.c", "sysv_peer", "apt-get install gcc libc6-dev");
        }
        return compiledSysv;
    }

    private static Path compiledMixedLoad;

    /** Compiles src/test/c/mixed_load.c, a C participant of the long mixed test, once per test run. */
    static synchronized Path mixedLoadPeer() throws IOException {
        if (compiledMixedLoad == null) {
            compiledMixedLoad = compile("gcc", "c/mixed_load.c", "mixed_load", "apt-get install gcc libc6-dev");
        }
        return compiledMixedLoad;
    }

    /** Compiles src/test/cpp/boost_peer.cpp with g++ against Boost.Interprocess once per test run. */
    static synchronized Path boostPeer() throws IOException {
        if (compiledBoost == null) {
            compiledBoost = compile("g++", "cpp/boost_peer.cpp", "boost_peer", "apt-get install g++ libboost-dev");
        }
        return compiledBoost;
    }

    private static Path compile(String compiler, String source, String binaryName, String installHint) throws IOException {
        return compile(compiler, source, Path.of(property("namedsem.test.workDir")).resolve(binaryName), installHint);
    }

    /**
     * Compiles one source file of src/test with gcc or g++.
     *
     * @param flags extra compiler flags, such as {@code -shared -fPIC} for a library
     */
    static Path compile(String compiler, String source, Path binary, String installHint, String... flags)
            throws IOException {
        Files.createDirectories(binary.getParent());
        List<String> command = new ArrayList<>(List.of(compiler, "-O2", "-Wall"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-o", binary.toString(), sourceDir().resolve(source).toString(), "-lpthread"));
        ProcessBuilder build = new ProcessBuilder(command).redirectErrorStream(true);
        Process p;
        try {
            p = build.start();
        } catch (IOException e) {
            throw new IOException("The interop tests need " + compiler + " on the PATH (" + installHint + ")", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(p.waitFor()).as("%s output (%s): %s", compiler, installHint, output).isZero();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        return binary;
    }

    static String property(String key) {
        String value = System.getProperty(key);
        assertThat(value).as("system property %s (set by the Maven build)", key).isNotNull();
        return value;
    }
}
