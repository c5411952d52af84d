/**
 * Micrometer metrics for named semaphores: wrap a handle in {@link
 * io.github.namedsem.micrometer.InstrumentedSemaphore} and bind it to a {@code MeterRegistry}.
 */
// micrometer-core is an automatic module (Automatic-Module-Name micrometer.core); its types
// are in this module's API, so it must be read transitively all the same.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.github.namedsem.micrometer {
    requires transitive io.github.namedsem;
    requires transitive micrometer.core;

    exports io.github.namedsem.micrometer;
}
