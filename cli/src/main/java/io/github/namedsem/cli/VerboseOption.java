package io.github.namedsem.cli;

import picocli.CommandLine.Option;

/** {@code -v}: commands are silent on success, as Unix tools are, unless asked to tell. */
final class VerboseOption {
    @Option(names = {"-v", "--verbose"}, description = "say what was done (by default nothing is printed on success)")
    boolean verbose;
}
