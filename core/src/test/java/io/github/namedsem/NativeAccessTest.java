package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.OS;

/** A JVM started without --enable-native-access is told exactly which flag to add. */
class NativeAccessTest {

    private static String runChild(String... jvmOptions) throws IOException, InterruptedException {
        // probe, not unlink: unlink makes no native call on Windows
        return runChild(List.of("probe", "nstest-nativeaccess-" + ProcessHandle.current().pid()), jvmOptions);
    }

    private static String runChild(List<String> childArgs, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Processes.javaExecutable()));
        command.addAll(Win32Emulation.childJvmOptions());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("namedsem.test.mainClasses") + java.io.File.pathSeparator
                + System.getProperty("namedsem.test.testClasses"), ChildMain.class.getName()));
        command.addAll(childArgs);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    /**
     * JDK 24 and newer deny with --illegal-native-access=deny (an option 22 and 23 reject); on
     * 22 and 23, naming any module in --enable-native-access denies every module not named.
     */
    private static String denyNativeAccessToTheClassPath() {
        return Runtime.version().feature() >= 24 ? "--illegal-native-access=deny" : "--enable-native-access=java.base";
    }

    @Test
    void withTheFlagNothingIsPrinted() throws Exception {
        assertThat(runChild("--enable-native-access=ALL-UNNAMED").lines()).containsExactly("absent");
    }

    @Test
    void withoutTheFlagItStillWorksAndAWarningNamesTheFlag() throws Exception {
        String output = runChild();
        assertThat(output).contains("absent").contains("Add --enable-native-access=ALL-UNNAMED to the java command");
    }

    @Test
    void whenTheJvmDeniesNativeAccessTheErrorNamesTheFlag() throws Exception {
        String output = runChild(denyNativeAccessToTheClassPath());
        assertThat(output).doesNotContain("absent")
                .contains("UnsupportedOperationException")
                .contains("Add --enable-native-access=ALL-UNNAMED to the java command");
    }

    @Test
    void whenTheJvmDeniesNativeAccessEveryCallOfEitherKindGetsTheSameClearException() throws Exception {
        String output = runChild(List.of("each-kind-twice", "nstest-nativeaccess-" + ProcessHandle.current().pid()),
                denyNativeAccessToTheClassPath());
        String expected = "UnsupportedOperationException: " + "namedsem calls the operating system";
        // Windows has no crash-safe kind: asking for it says so before any native call.
        List<String> kinds = OS.WINDOWS.isCurrentOs() ? List.of("STANDARD") : List.of("STANDARD", "CRASH_SAFE");
        assertThat(output.lines().filter(line -> kinds.stream().anyMatch(line::startsWith)).toList())
                .as(output).hasSize(2 * kinds.size()).allSatisfy(line -> assertThat(line)
                .contains(expected).contains("Add --enable-native-access=ALL-UNNAMED to the java command"));
    }
}
