package io.github.namedsem;

import org.junit.platform.suite.api.BeforeSuite;
import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;
import org.junit.platform.suite.api.SuiteDisplayName;

/**
 * The portable behavioural suites and WindowsBehaviourTest, run against the Windows backend
 * through the Win32 emulation: the surefire execution {@code windows-emulation} runs this class
 * (and only it) with {@code -Dos.name=Windows}; the child JVMs the tests start inherit the
 * emulation. Excluded from the default execution, where these classes run against Linux.
 */
@Suite
@SuiteDisplayName("Windows backend through the Win32 emulation")
@SelectClasses({
    OriginalSuiteTest.class, WaitingTest.class, MultiProcessTest.class, StressTest.class, ModelTest.class,
    NamesTest.class, HotPathTest.class, NativeAccessTest.class, PermitAndExceptionFactsTest.class, WindowsBehaviourTest.class,
    EmulatedWin32Test.class})
class EmulatedWindowsSuite {
    @BeforeSuite
    static void buildTheEmulation() throws Exception {
        Win32Emulation.build();
    }
}
