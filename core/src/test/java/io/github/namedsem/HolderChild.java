package io.github.namedsem;

/**
 * Child-JVM command for the holder tests (started through {@link ChildMain}).
 *
 * <pre>
 *   holder-hold NAME KIND PERMITS COMMAND   open NAME (KIND: STANDARD or CRASH_SAFE) recording holders
 *                                           with COMMAND, acquire PERMITS, print acquired, sleep until killed
 * </pre>
 */
final class HolderChild {
    private HolderChild() {}

    static void main(String[] args) throws Exception {
        SemaphoreOptions options = SemaphoreOptions.defaults().kind(SemaphoreKind.valueOf(args[2]))
                .recordHolders(true).holderCommand(args[4]);
        NamedSemaphore sem = NamedSemaphore.open(args[1], options);
        for (int i = 0; i < Integer.parseInt(args[3]); i++) {
            sem.acquire();
        }
        System.out.println("acquired");
        Thread.sleep(Long.MAX_VALUE);
    }
}
