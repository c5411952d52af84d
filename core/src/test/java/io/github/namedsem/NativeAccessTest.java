package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A JVM started without --enable-native-access is told exactly which flag to add. */
class NativeAccessTest {

    private static String runChild(String... jvmOptions) throws IOException, InterruptedException {
        return runChild(List.of("unlink", "nstest-nativeaccess-" + ProcessHandle.current().pid()), jvmOptions);
    }

    private static String runChild(List<String> childArgs, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Processes.javaExecutable()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("namedsem.test.mainClasses") + java.io.File.pathSeparator
                + System.getProperty("namedsem.test.testClasses"), ChildMain.class.getName()));
        command.addAll(childArgs);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void withTheFlagNothingIsPrinted() throws Exception {
        assertThat(runChild("--enable-native-access=ALL-UNNAMED")).isEqualTo("absent\n");
    }

    @Test
    void withoutTheFlagItStillWorksAndAWarningNamesTheFlag() throws Exception {
        String output = runChild();
        assertThat(output).contains("absent").contains("Add --enable-native-access=ALL-UNNAMED to the java command");
    }

    @Test
    void whenTheJvmDeniesNativeAccessTheErrorNamesTheFlag() throws Exception {
        String output = runChild("--illegal-native-access=deny");
        assertThat(output).doesNotContain("absent")
                .contains("UnsupportedOperationException")
                .contains("Add --enable-native-access=ALL-UNNAMED to the java command");
    }

    @Test
    void whenTheJvmDeniesNativeAccessEveryCallOfEitherKindGetsTheSameClearException() throws Exception {
        String output = runChild(List.of("each-kind-twice", "nstest-nativeaccess-" + ProcessHandle.current().pid()),
                "--illegal-native-access=deny");
        String expected = "UnsupportedOperationException: " + "namedsem calls the operating system";
        assertThat(output.lines().filter(line -> line.startsWith("STANDARD") || line.startsWith("CRASH_SAFE")).toList())
                .as(output).hasSize(4).allSatisfy(line -> assertThat(line)
                .contains(expected).contains("Add --enable-native-access=ALL-UNNAMED to the java command"));
    }
}
