/**
 * Named counting semaphores that several processes, written in any language, share through
 * the operating system.
 *
 * <p>Start with {@link io.github.namedsem.NamedSemaphore}. The module needs native access:
 * run with {@code --enable-native-access=io.github.namedsem} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path).
 */
@SuppressWarnings("module") // the CLI module is compiled after this one
module io.github.namedsem {
    exports io.github.namedsem;
    exports io.github.namedsem.windows;
    // The command line lists crash-safe semaphores from their marker files, which only this
    // package reads safely (no links, no FIFOs, bounded).
    exports io.github.namedsem.internal.sysv to io.github.namedsem.cli;
}
