package io.github.namedsem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The command line as it behaves on Windows, run on Linux against the Win32 emulation (core's
 * src/test/c/win32_emulation.c; see CONTRIBUTING.md): the packaged jars in a JVM started as
 * bin/namedsem starts it, plus {@code -Dos.name=Windows}, with kernel32 found through
 * {@code LD_LIBRARY_PATH}. What a Windows user sees: Windows object names, no /dev/shm paths,
 * no advice that does nothing there.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WindowsCliIT {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static Path emulation;

    @BeforeAll
    static void buildTheEmulation() throws Exception {
        emulation = Files.createDirectories(Path.of(System.getProperty("namedsem.test.workDir"), "win32-emulation"));
        Path source = CliIT.root().resolve("core/src/test/c/win32_emulation.c");
        Process gcc = new ProcessBuilder("gcc", "-O2", "-Wall", "-shared", "-fPIC", "-o",
                emulation.resolve("kernel32").toString(), source.toString(), "-lpthread").redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor()).as("gcc (apt-get install gcc libc6-dev): %s", output).isZero();
        Path ntdll = emulation.resolve("ntdll");
        Files.deleteIfExists(ntdll);
        Files.createSymbolicLink(ntdll, Path.of("kernel32"));
        Files.deleteIfExists(emulation.resolve("win32-objects")); // a fresh namespace, in the layout just built
    }

    /** A name Windows allows and no path does: a colon and every wildcard and quote character. */
    private static String name(String hint) {
        return "nscli-win-" + hint + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + ":*?\"<>|";
    }

    private static ProcessBuilder namedsem(String... args) {
        Path target = CliIT.root().resolve("cli/target");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Dos.name=Windows", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "--enable-native-access=io.github.namedsem",
                "--module-path", target.resolve("namedsem-cli.jar") + java.io.File.pathSeparator + target.resolve("lib"),
                "--module", "io.github.namedsem.cli/io.github.namedsem.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("LD_LIBRARY_PATH", emulation.toString());
        return pb;
    }

    private static CliIT.Result run(String... args) throws IOException, InterruptedException {
        return CliIT.run(namedsem(args));
    }

    /** On Windows a semaphore lives while a process holds it: a {@code run} that sleeps holds it. */
    private static Process holder(String name, int permits) throws Exception {
        Process holder = namedsem("run", "--create", "--permits", Integer.toString(permits), name, "--", "sleep", "120")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (run("info", name).status() != 0) {
            assertThat(holder.isAlive()).as("the holder runs").isTrue();
            assertThat(System.nanoTime()).as("the holder created %s in time", name).isLessThan(deadline);
            Thread.sleep(100);
        }
        return holder;
    }

    private static void stop(Process holder) throws InterruptedException {
        holder.destroy();
        if (!holder.waitFor(30, TimeUnit.SECONDS)) {
            holder.destroyForcibly();
        }
    }

    @Test
    void infoShowsTheWindowsObjectNameAndNoFileForANameNoPathCouldHold() throws Exception {
        String name = name("info");
        Process holder = holder(name, 3);
        try {
            CliIT.Result json = run("info", name, "--json");
            assertThat(json.status()).as(json.err()).isZero();
            String quoted = name.replace("\"", "\\\"");
            assertThat(json.out().strip()).isEqualTo("{\"name\":\"" + quoted + "\",\"osName\":\"" + quoted
                    + "\",\"kind\":\"standard\",\"available\":2,\"max\":3,\"holders\":[],\"deadPermits\":0,"
                    + "\"deadPermitsReturned\":false,\"waiters\":null,\"lastPid\":null}"); // no file, owner, mode
            CliIT.Result text = run("info", "Local\\" + name);
            assertThat(text.status()).as(text.err()).isZero();
            assertThat(text.out()).contains("osName:    " + Text.printable("Local\\" + name)).doesNotContain("/dev/shm")
                    .doesNotContain("POSIX");
        } finally {
            stop(holder);
        }
    }

    @Test
    void errorsNameTheWindowsObjectAndAdviseOnlyWhatWorksThere() throws Exception {
        String name = name("errors");
        CliIT.Result missing = run("info", name);
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("namedsem: no semaphore named " + name + " (ERROR_FILE_NOT_FOUND); create it"
                + " with 'namedsem create " + name + " --permits 2' (or run with --create)\n");
        Process holder = holder(name, 1);
        try {
            CliIT.Result exists = run("create", name, "--permits", "1");
            assertThat(exists.status()).isEqualTo(1);
            assertThat(exists.err()).startsWith("namedsem: a semaphore named " + name + " already exists"
                    + " (ERROR_ALREADY_EXISTS); add --exist-ok").doesNotContain("unlink").doesNotContain("--mode");
        } finally {
            stop(holder);
        }
        CliIT.Result unlink = run("unlink", name);
        assertThat(unlink.status()).isZero();
        assertThat(unlink.out()).startsWith("nothing to unlink: on Windows");
    }

    @Test
    void listSaysWhatWindowsCannotEnumerate() throws Exception {
        CliIT.Result list = run("list");
        assertThat(list.status()).isEqualTo(1);
        assertThat(list.out()).isEmpty();
        assertThat(list.err()).contains("cannot enumerate semaphores on Windows").contains("namedsem info NAME")
                .doesNotContain("/dev/shm");
    }
}
