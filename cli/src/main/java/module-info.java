/** The namedsem command line. */
module io.github.namedsem.cli {
    requires io.github.namedsem;
    requires info.picocli;

    opens io.github.namedsem.cli to info.picocli;
}
