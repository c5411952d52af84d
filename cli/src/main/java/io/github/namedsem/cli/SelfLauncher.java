package io.github.namedsem.cli;

import java.util.ArrayList;
import java.util.List;

/** Starts another namedsem process on the same JVM, module path or class path as this one. */
final class SelfLauncher {
    private SelfLauncher() {}

    static List<String> command(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null) {
            command.addAll(List.of("--enable-native-access=io.github.namedsem,io.github.namedsem.cli", "--module-path", modulePath,
                    "--module", "io.github.namedsem.cli/" + Main.class.getName()));
        } else {
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName()));
        }
        command.addAll(List.of(args));
        return command;
    }
}
