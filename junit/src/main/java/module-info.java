/**
 * JUnit 5 extension for tests that share something across processes: {@link
 * io.github.namedsem.junit.SemaphorePermit @SemaphorePermit} holds a permit of a named semaphore
 * while a test or class runs, and {@link io.github.namedsem.junit.TempSemaphore @TempSemaphore}
 * injects a fresh semaphore that is removed afterwards.
 *
 * <p>Run tests with {@code --enable-native-access=io.github.namedsem} (module path) or
 * {@code --enable-native-access=ALL-UNNAMED} (class path), e.g. in Surefire's {@code argLine}.
 */
module io.github.namedsem.junit {
    requires transitive io.github.namedsem;
    requires transitive org.junit.jupiter.api;

    exports io.github.namedsem.junit;
}
