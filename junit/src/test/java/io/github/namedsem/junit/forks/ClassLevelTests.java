package io.github.namedsem.junit.forks;

import io.github.namedsem.junit.SemaphorePermit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Holds the shared permit for a whole class (see ForksTookTurnsIT); subclasses exist so that
 * Surefire has several classes to spread over its two forks. Entry and exit are logged from
 * the first and last test, which run under the class's permit like @BeforeAll and @AfterAll.
 */
@ExtendWith(ForkLog.class)
@SemaphorePermit("db")
@TestMethodOrder(MethodOrderer.MethodName.class)
@EnabledOnOs(OS.LINUX) // the crash-safe kind is Linux-only
abstract class ClassLevelTests {
    @Test
    void a() throws InterruptedException {
        ForkLog.write("enter", getClass());
        Thread.sleep(ForkLog.HOLD_MILLIS);
    }

    @Test
    void b() throws InterruptedException {
        Thread.sleep(ForkLog.HOLD_MILLIS);
        ForkLog.write("exit", getClass());
    }
}
