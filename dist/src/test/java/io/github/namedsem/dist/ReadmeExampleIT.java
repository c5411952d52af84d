package io.github.namedsem.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's whole-program example, compiled as an application in a fresh directory would
 * compile it against the published jar: {@code -Xlint:all -Werror}, on the class path and on the
 * module path. Catches an example that no longer compiles or trips a lint (such as
 * "auto-closeable resource permit is never referenced").
 */
class ReadmeExampleIT {
    private static final Path CORE_JAR = Path.of(System.getProperty("namedsem.dist.coreJar"));

    @TempDir
    Path app;

    static String readmeExample() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("namedsem.dist.readme")));
        var m = Pattern.compile("<!-- readme-example:[^>]*-->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("README.md has a block marked <!-- readme-example: ... -->").isTrue();
        return m.group(1);
    }

    @Test
    void compilesWithWerrorOnTheClassPath() throws Exception {
        Path source = write("src/com/example/App.java", readmeExample());
        compile(List.of("-cp", CORE_JAR.toString()), source);
        assertThat(app.resolve("out/com/example/App.class")).isRegularFile();
    }

    @Test
    void compilesWithWerrorOnTheModulePath() throws Exception {
        Path module = write("src/module-info.java", "module com.example { requires io.github.namedsem; }\n");
        Path source = write("src/com/example/App.java", readmeExample());
        compile(List.of("--module-path", CORE_JAR.toString()), module, source);
        assertThat(app.resolve("out/module-info.class")).isRegularFile();
    }

    private Path write(String relative, String text) throws Exception {
        Path file = app.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** A separate javac, so nothing of this test's own class path leaks into the app's build. */
    private void compile(List<String> path, Path... sources) throws Exception {
        String javac = Path.of(System.getProperty("java.home"), "bin", "javac").toString();
        List<String> command = new ArrayList<>(List.of(javac, "--release", "22", "-Xlint:all", "-Werror",
                "-d", app.resolve("out").toString()));
        command.addAll(path);
        for (Path s : sources) {
            command.add(s.toString());
        }
        new Commands(app, Map.of()).ok(command);
    }
}
