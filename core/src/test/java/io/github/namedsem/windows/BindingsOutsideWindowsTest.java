package io.github.namedsem.windows;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Away from Windows, the raw bindings refuse clearly instead of failing to link. */
@DisabledOnOs(OS.WINDOWS)
class BindingsOutsideWindowsTest {

    @Test
    void kernel32AndNtdllSayTheyExistOnlyOnWindows() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            assertThatThrownBy(() -> Kernel32.OpenSemaphoreW(state, Kernel32.SEMAPHORE_ALL_ACCESS, 0,
                    Kernel32.wideString(arena, "x")))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("only on Windows");
            assertThatThrownBy(() -> Kernel32.lastError(state)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> Ntdll.NtQuerySemaphore(MemorySegment.NULL, 0, MemorySegment.NULL, 8,
                    MemorySegment.NULL)).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
