package io.github.namedsem.internal.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.PermitLimitExceededException;
import io.github.namedsem.SemaphoreAccessDeniedException;
import io.github.namedsem.SemaphoreExistsException;
import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.windows.Kernel32;
import io.github.namedsem.windows.WinError;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Everything of the Windows backend that is not a downcall, tested on any OS. */
class WindowsLogicTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jobs         | jobs",
        "/jobs        | jobs",
        "Global\\jobs | Global\\jobs",
        "Local\\jobs  | Local\\jobs",
        "Global\\ü-😀 | Global\\ü-😀",
    })
    void namesMapToWindowsObjectNames(String given, String windows) {
        SemaphoreName name = SemaphoreName.ofWindows(given);
        assertThat(name.windows()).isEqualTo(windows);
        assertThat(name.portable()).isEqualTo(windows);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "Global\\", "Local\\", "Global\\/x", "Global\\a\\b", "a\\b", "Session\\1\\x",
        "global\\x", "Global\\..", "Global\\a/b", "x\0y"})
    void namesWindowsWouldMisreadAreRefused(String bad) {
        assertThatThrownBy(() -> SemaphoreName.ofWindows(bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Invalid semaphore name");
    }

    @Test
    void anEmptyNameIsRefusedBecauseWindowsWouldCreateAnUnnamedSemaphore() {
        assertThatThrownBy(() -> SemaphoreName.ofWindows("")).hasMessageContaining("at least one character");
    }

    @Test
    void wideStringsAreUtf16LittleEndianWithATwoByteTerminator() {
        try (Arena arena = Arena.ofConfined()) {
            var s = Kernel32.wideString(arena, "Global\\é😀");
            byte[] bytes = s.toArray(ValueLayout.JAVA_BYTE);
            // G l o b a l \ é, then the surrogate pair of U+1F600, then NUL NUL
            assertThat(bytes).hasSize(2 * 10 + 2);
            assertThat(bytes[0]).isEqualTo((byte) 'G');
            assertThat(bytes[1]).isZero();
            assertThat(bytes[14]).isEqualTo((byte) 0xE9); // é, low byte first
            assertThat(bytes[15]).isZero();
            assertThat(new byte[] {bytes[16], bytes[17], bytes[18], bytes[19]})
                    .isEqualTo(new byte[] {(byte) 0x3D, (byte) 0xD8, (byte) 0x00, (byte) 0xDE});
            assertThat(bytes[20]).isZero();
            assertThat(bytes[21]).isZero();
        }
    }

    @Test
    void timeoutsBecomeDwordMillisecondsNeverInfiniteNeverNegative() {
        assertThat(WindowsTimeouts.toMillis(0)).isZero();
        assertThat(WindowsTimeouts.toMillis(-1)).isZero();
        assertThat(WindowsTimeouts.toMillis(Long.MIN_VALUE)).isZero();
        assertThat(WindowsTimeouts.toMillis(1)).as("rounds up, so a tiny wait still waits").isEqualTo(1);
        assertThat(WindowsTimeouts.toMillis(TimeUnit.MILLISECONDS.toNanos(50))).isEqualTo(50);
        assertThat(WindowsTimeouts.toMillis(TimeUnit.MILLISECONDS.toNanos(50) + 1)).isEqualTo(51);
        assertThat(WindowsTimeouts.toMillis(TimeUnit.DAYS.toNanos(30))).isEqualTo(Integer.MAX_VALUE);
        assertThat(WindowsTimeouts.toMillis(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE)
                .isNotEqualTo(Kernel32.INFINITE);
    }

    @Test
    void errorCodesHaveTheirSymbols() {
        assertThat(WinError.name(2)).isEqualTo("ERROR_FILE_NOT_FOUND");
        assertThat(WinError.name(183)).isEqualTo("ERROR_ALREADY_EXISTS");
        assertThat(WinError.name(298)).isEqualTo("ERROR_TOO_MANY_POSTS");
        assertThat(WinError.name(5)).isEqualTo("ERROR_ACCESS_DENIED");
        assertThat(WinError.name(-1)).isEqualTo("error 4294967295");
        assertThat(Kernel32.WAIT_FAILED).isEqualTo(0xFFFFFFFF);
        assertThat(Kernel32.SEMAPHORE_ALL_ACCESS & WindowsBackend.ACCESS).isEqualTo(WindowsBackend.ACCESS);
    }

    @Test
    void errorCodesBecomeTheRightExceptionsWithNameCodeSymbolAndText() {
        SemaphoreName name = SemaphoreName.ofWindows("Global\\jobs");
        NamedSemaphoreException missing = WindowsErrors.failure("OpenSemaphoreW", name, 2, "The system cannot find the file specified.");
        assertThat(missing).isInstanceOf(NoSuchSemaphoreException.class)
                .hasMessageContaining("Global\\jobs").hasMessageContaining("OpenSemaphoreW")
                .hasMessageContaining("ERROR_FILE_NOT_FOUND (2)").hasMessageContaining("cannot find the file");
        assertThat(missing.errorCode()).isEqualTo(2);
        assertThat(missing.errorName()).isEqualTo("ERROR_FILE_NOT_FOUND");
        assertThat(WindowsErrors.failure("CreateSemaphoreExW", name, 183, null))
                .isInstanceOf(SemaphoreExistsException.class);
        assertThat(WindowsErrors.failure("OpenSemaphoreW", name, 5, "Access is denied."))
                .isInstanceOf(SemaphoreAccessDeniedException.class).hasMessageContaining("Global\\");
        assertThat(WindowsErrors.failure("CreateSemaphoreExW", name, 6, null))
                .hasMessageContaining("another kind of kernel object");
        assertThat(WindowsErrors.failure("OpenSemaphoreW", name, 6, null))
                .hasMessageContaining("another kind of kernel object");
        assertThat(WindowsErrors.failure("CreateSemaphoreExW", name, 3, null)).hasMessageContaining("Global\\ and Local\\");
        assertThat(WindowsErrors.failure("WaitForSingleObject", name, 1234, "Odd."))
                .isExactlyInstanceOf(NamedSemaphoreException.class).hasMessageContaining("error 1234");
        PermitLimitExceededException tooMany = WindowsErrors.tooManyPosts(name, 2, 3, 4);
        assertThat(tooMany).hasMessageContaining("ERROR_TOO_MANY_POSTS").hasMessageContaining("nothing was released");
        assertThat(tooMany.errorCode()).isEqualTo(298);
    }

    @ParameterizedTest
    @ValueSource(strings = {"WaitForSingleObject", "ReleaseSemaphore", "CloseHandle"})
    void anInvalidHandleIsCalledABadHandleWhereNoNameWasInvolved(String call) {
        SemaphoreName name = SemaphoreName.ofWindows("jobs");
        assertThat(WindowsErrors.failure(call, name, WinError.ERROR_INVALID_HANDLE, "The handle is invalid."))
                .isExactlyInstanceOf(NamedSemaphoreException.class)
                .hasMessageContaining(call + ": ERROR_INVALID_HANDLE (6)")
                .hasMessageContaining("handle")
                .hasMessageNotContaining("another kind of kernel object")
                .hasMessageNotContaining("choose another name");
    }
}
