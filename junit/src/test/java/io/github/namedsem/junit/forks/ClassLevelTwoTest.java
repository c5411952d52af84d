package io.github.namedsem.junit.forks;

import io.github.namedsem.junit.SemaphorePermit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Holds the shared permit for the whole class (see ForksTookTurnsIT). */
@ExtendWith(ForkLog.class)
@SemaphorePermit("db")
class ClassLevelTwoTest {
    @BeforeAll
    static void enter() {
        ForkLog.write("enter", ClassLevelTwoTest.class);
    }

    @Test
    void first() throws InterruptedException {
        Thread.sleep(ForkLog.HOLD_MILLIS);
    }

    @Test
    void second() throws InterruptedException {
        Thread.sleep(ForkLog.HOLD_MILLIS);
    }

    @AfterAll
    static void exit() {
        ForkLog.write("exit", ClassLevelTwoTest.class);
    }
}
