package io.github.namedsem.junit.forks;

import io.github.namedsem.junit.SemaphorePermit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Holds the shared permit per test method (see ForksTookTurnsIT); subclassed like ClassLevelTests. */
@ExtendWith(ForkLog.class)
@EnabledOnOs(OS.LINUX) // the crash-safe kind is Linux-only
abstract class MethodLevelTests {
    @Test
    @SemaphorePermit("db")
    void first() throws InterruptedException {
        ForkLog.work(getClass());
    }

    @Test
    @SemaphorePermit("db")
    void second() throws InterruptedException {
        ForkLog.work(getClass());
    }
}
