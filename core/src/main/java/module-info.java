/**
 * Named counting semaphores that several processes, written in any language, share through
 * the operating system.
 *
 * <p>Start with {@link io.github.namedsem.NamedSemaphore}. The module needs native access:
 * run with {@code --enable-native-access=io.github.namedsem} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path).
 */
module io.github.namedsem {
    exports io.github.namedsem;
    exports io.github.namedsem.windows;
}
