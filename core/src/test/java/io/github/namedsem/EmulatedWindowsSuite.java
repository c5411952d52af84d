package io.github.namedsem;

import org.junit.platform.suite.api.BeforeSuite;
import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;
import org.junit.platform.suite.api.SuiteDisplayName;

/**
 * The behavioural tests of this package, WindowsBehaviourTest and EmulatedWin32Test among them,
 * run against the Windows backend through the Win32 emulation: the surefire execution
 * {@code windows-emulation} runs this class (and only it) with {@code -Dos.name=Windows}; the
 * child JVMs the tests start inherit the emulation. Excluded from the default execution, where
 * these classes run against Linux.
 *
 * <p>Every test class of the package is selected, so that new portable tests run here without
 * anyone remembering to list them; left out are the classes that test only Linux (they would be
 * reported as skipped) and the pure-Java tests (the subpackages', LayeringTest), which make no
 * native call.
 */
@Suite
@SuiteDisplayName("Windows backend through the Win32 emulation")
@SelectPackages("io.github.namedsem")
@ExcludeClassNamePatterns({
    "io\\.github\\.namedsem\\.(internal|windows)\\..*",
    "io\\.github\\.namedsem\\.(CrashSafe\\w*|Holders|Interop|Permissions|Faults|Leak|NameProperties"
            + "|Layering)Test"})
class EmulatedWindowsSuite {
    @BeforeSuite
    static void buildTheEmulation() throws Exception {
        Win32Emulation.build();
    }
}
