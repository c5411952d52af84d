package io.github.namedsem.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a program the way the shell does before running it, so that {@code run} can refuse a
 * command that cannot start before it takes a permit, with the shell's exit statuses: 127 for
 * "not found", 126 for "found but cannot be executed".
 */
final class CommandLookup {
    private CommandLookup() {}

    /** Exit status of a shell for a command it cannot find. */
    static final int NOT_FOUND = 127;
    /** Exit status of a shell for a command it found but cannot execute. */
    static final int NOT_EXECUTABLE = 126;

    /** Why a program cannot be run, as the shell's exit status and one line for stderr. */
    record Problem(int exitStatus, String message) {}

    /**
     * Checks {@code program} as {@code execvp} would find it: a name with a {@code /} is a path,
     * any other name is looked up in {@code PATH}.
     *
     * @return empty when it can be started
     */
    static Optional<Problem> check(String program) {
        if (program.isEmpty()) {
            return Optional.of(new Problem(NOT_FOUND, "cannot run '': the command is empty"));
        }
        if (program.contains("/") || isWindows()) {
            return checkFile(program, path(program));
        }
        Path nonExecutable = null;
        for (Path dir : searchPath()) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return Optional.empty();
                }
                nonExecutable = nonExecutable == null ? candidate : nonExecutable;
            }
        }
        if (nonExecutable != null) {
            return Optional.of(new Problem(NOT_EXECUTABLE, "cannot run '" + program + "': " + nonExecutable
                    + " is not executable; make it so with 'chmod +x " + nonExecutable + "'"));
        }
        return Optional.of(new Problem(NOT_FOUND, "cannot run '" + program + "': command not found in PATH ("
                + System.getenv().getOrDefault("PATH", "") + "); give its full path, or check its spelling"));
    }

    /** Finds an executable regular file named {@code program} in {@code PATH}, as the shell would. */
    static Optional<Path> find(String program) {
        for (Path dir : searchPath()) {
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> checkFile(String program, Path file) {
        if (isWindows()) {
            return Optional.empty(); // CreateProcess has its own search rules (PATHEXT, the app's directory)
        }
        if (file == null || !Files.exists(file)) {
            return Optional.of(new Problem(NOT_FOUND, "cannot run '" + program + "': no such file"));
        }
        if (Files.isDirectory(file)) {
            return Optional.of(new Problem(NOT_EXECUTABLE, "cannot run '" + program + "': it is a directory"));
        }
        if (!Files.isExecutable(file)) {
            return Optional.of(new Problem(NOT_EXECUTABLE, "cannot run '" + program
                    + "': permission denied (not executable); make it so with 'chmod +x " + program + "'"));
        }
        return Optional.empty();
    }

    private static Iterable<Path> searchPath() {
        String path = System.getenv("PATH");
        // POSIX: an unset PATH is implementation-defined; glibc's execvp then uses /bin:/usr/bin.
        String[] dirs = (path == null ? "/bin:/usr/bin" : path).split(File.pathSeparator, -1);
        java.util.List<Path> result = new java.util.ArrayList<>(dirs.length);
        for (String dir : dirs) {
            // An empty entry means the current directory, as in the shell.
            Path p = path(dir.isEmpty() ? "." : dir);
            if (p != null) {
                result.add(p);
            }
        }
        return result;
    }

    private static Path path(String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
