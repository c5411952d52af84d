package io.github.namedsem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a child JVM ({@link ChildMain}) whose death must be seen, and says how it ended. Its
 * crash report (hs_err) goes to a temporary directory, deleted afterwards, and it writes no
 * core dump, so a crash leaves nothing behind. The tests that prove a JVM survives and their
 * negative controls, which prove that those tests see a crash, judge the ending the same way:
 * {@link Ending#signsOfDeath}.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** What a test does with the running child before the rest of its output is read. */
    interface Conversation {
        void with(Processes.Peer child) throws Exception;
    }

    /**
     * How a child ended.
     *
     * @param out its stdout and stderr, line by line
     * @param crashReports each crash report the JVM wrote: its file name and signal line
     */
    record Ending(int status, List<String> out, List<String> crashReports) {
        /**
         * Every sign that the child did not run to its normal end: a non-zero exit status, a
         * crash report, no line starting with {@code lastWords}. Empty if it did.
         */
        List<String> signsOfDeath(String lastWords) {
            List<String> signs = new ArrayList<>();
            if (status != 0) {
                signs.add("exit status " + status);
            }
            crashReports.forEach(report -> signs.add("crash report " + report));
            if (out.stream().noneMatch(line -> line.startsWith(lastWords))) {
                signs.add("no line starting with \"" + lastWords + "\"");
            }
            return signs;
        }

        /** The line starting with {@code prefix}, without it. */
        String after(String prefix) {
            return out.stream().filter(line -> line.startsWith(prefix)).findFirst().orElseThrow()
                    .substring(prefix.length());
        }
    }

    /**
     * Runs {@link ChildMain} with {@code args} to its end.
     *
     * @param jvmOptions added after the usual ones, so they win (such as {@code -XX:TieredStopAtLevel=4})
     */
    static Ending run(List<String> jvmOptions, Conversation conversation, String... args) throws Exception {
        Path errorDir = Files.createTempDirectory("namedsem-child");
        try {
            List<String> command = new ArrayList<>(Processes.jvmCommand(List.of(), args));
            List<String> options = new ArrayList<>(List.of("-XX:ErrorFile=" + errorDir.resolve("hs_err_%p.log"),
                    "-XX:-CreateCoredumpOnCrash"));
            options.addAll(jvmOptions);
            command.addAll(command.indexOf("-cp"), options);
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var child = new Processes.Peer(process)) {
                conversation.with(child);
                List<String> out = new ArrayList<>();
                for (String line; (line = child.readLineOrNull()) != null; ) {
                    out.add(line);
                }
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("child " + process.pid() + " still running: " + out);
                }
                return new Ending(process.exitValue(), out, crashReports(errorDir));
            }
        } finally {
            try (Stream<Path> files = Files.list(errorDir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(errorDir);
        }
    }

    private static List<String> crashReports(Path dir) throws IOException {
        List<String> reports = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String signal = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).lines().filter(l -> l.matches("#\\s+SIG\\w+.*"))
                        .findFirst().orElse("(no signal line)");
                reports.add(f.getFileName() + ": " + signal.replaceFirst("^#\\s+", ""));
            }
        }
        return reports;
    }
}
