package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.namedsem.windows.Kernel32;
import io.github.namedsem.windows.WinError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the Win32 emulation adds to Windows: the detector of handle misuse, and a message longer
 * than callers usually budget for. Runs only in the emulated suite (EmulatedWindowsSuite); the
 * behaviour that real Windows shares is in WindowsBehaviourTest.
 */
class EmulatedWin32Test {
    /** The children abort on purpose: no core file, whatever this machine's limit. */
    private static final List<String> NO_CORE_DUMP = List.of("sh", "-c", "ulimit -c 0; exec \"$@\"", "sh");

    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @Test
    void aHandleUsedAfterCloseStopsTheProcessWithAMessage() throws Exception {
        var outcome = Processes.runToEnd(Processes.jvmCommand(NO_CORE_DUMP, "win32-use-after-close", names.next("misuse")));
        assertThat(outcome.out()).contains("closed").doesNotContain("survived")
                .contains("ReleaseSemaphore on a handle after CloseHandle");
        assertThat(outcome.status()).as("SIGABRT").isEqualTo(128 + 6);
    }

    @Test
    void aHandleClosedDuringAWaitStopsTheProcessWithAMessage() throws Exception {
        var outcome = Processes.runToEnd(Processes.jvmCommand(NO_CORE_DUMP, "win32-close-during-wait", names.next("misuse")));
        assertThat(outcome.out()).contains("closing").doesNotContain("survived")
                .contains("CloseHandle while a WaitForSingleObject on the handle is in progress");
        assertThat(outcome.status()).as("SIGABRT").isEqualTo(128 + 6);
    }

    @Test
    void handleValuesAreReusedAfterCloseAsOnWindows() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment name = Kernel32.wideString(arena, names.next("reuse"));
            MemorySegment first = Kernel32.CreateSemaphoreExW(state, MemorySegment.NULL, 0, 1, name, 0,
                    Kernel32.SEMAPHORE_ALL_ACCESS);
            MemorySegment second = Kernel32.OpenSemaphoreW(state, Kernel32.SEMAPHORE_ALL_ACCESS, 0, name);
            assertThat(Kernel32.CloseHandle(state, first)).isNotZero();
            MemorySegment third = Kernel32.OpenSemaphoreW(state, Kernel32.SEMAPHORE_ALL_ACCESS, 0, name);
            assertThat(third.address()).as("the value of the closed handle, now naming another handle")
                    .isEqualTo(first.address());
            Kernel32.CloseHandle(state, second);
            Kernel32.CloseHandle(state, third);
        }
    }

    @Test
    void aSystemMessageLongerThan511CharactersComesThroughWhole() {
        int emulationOnlyCode = 0x2000_0001; // bit 29: a code no real system table has
        String text = Kernel32.formatMessage(emulationOnlyCode);
        assertThat(text).hasSizeGreaterThan(511).endsWith("END");
        assertThat(Kernel32.formatMessage(WinError.ERROR_TOO_MANY_POSTS)).isEqualTo("Too many posts were made to a semaphore.");
    }
}
