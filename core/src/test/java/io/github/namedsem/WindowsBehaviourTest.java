package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.namedsem.windows.Kernel32;
import io.github.namedsem.windows.Ntdll;
import io.github.namedsem.windows.WinError;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What is particular to Windows semaphore objects. The portable behaviour is covered by the
 * same suites that run on Linux (the SemaphoreContract through StandardKindTest, MultiProcessTest).
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsBehaviourTest {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @Test
    void unlinkChangesNothingAndTheObjectDiesWithItsLastHandle() {
        String name = names.next("win-unlink");
        var first = NamedSemaphore.create(name, 1);
        assertThat(NamedSemaphore.unlink(name)).isFalse();
        assertThat(first.unlink()).isFalse();
        var second = NamedSemaphore.open(name);
        assertThat(second.availablePermits()).isEqualTo(1);
        first.close();
        assertThat(second.tryAcquire()).isTrue();
        second.close();
        assertThatThrownBy(() -> NamedSemaphore.open(name)).isInstanceOf(NoSuchSemaphoreException.class)
                .hasMessageContaining("ERROR_FILE_NOT_FOUND");
    }

    @Test
    void globalAndLocalNamespacesWork() {
        for (String namespace : new String[] {"Local\\", "Global\\"}) {
            String name = namespace + names.next("win-ns");
            try (var created = NamedSemaphore.create(name, 2); var opened = NamedSemaphore.open(name)) {
                assertThat(opened.name()).isEqualTo(name);
                assertThat(opened.osName()).isEqualTo(name);
                assertThat(opened.tryAcquire()).isTrue();
                assertThat(created.availablePermits()).isEqualTo(1);
            }
        }
    }

    @Test
    void theKernelEnforcesTheMaximumForEveryHandleAndReportsItToOpeners() {
        String name = names.next("win-max");
        try (var creator = NamedSemaphore.create(name, 1, 1); var opener = NamedSemaphore.open(name)) {
            assertThat(opener.maxPermits()).hasValue(1);
            assertThatThrownBy(opener::release).isInstanceOf(PermitLimitExceededException.class)
                    .hasMessageContaining("ERROR_TOO_MANY_POSTS");
            assertThat(creator.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    void releaseReturnsTheExactPreviousCount() {
        try (var sem = NamedSemaphore.create(names.next("win-prev"), 0, 5)) {
            assertThat(sem.release(2)).isZero();
            assertThat(sem.release(3)).isEqualTo(2);
            assertThatThrownBy(() -> sem.release(1)).isInstanceOf(PermitLimitExceededException.class);
            assertThat(sem.availablePermits()).isEqualTo(5);
        }
    }

    @Test
    void aFailedExclusiveCreateLetsGoOfTheHandleItWasGiven() {
        String name = names.next("win-excl");
        var first = NamedSemaphore.create(name, 1);
        assertThatThrownBy(() -> NamedSemaphore.create(name, 1)).isInstanceOf(SemaphoreExistsException.class)
                .hasMessageContaining("ERROR_ALREADY_EXISTS");
        try (var second = NamedSemaphore.openOrCreate(name, 1, 7)) {
            assertThat(second.created()).isFalse();
            assertThat(second.maxPermits()).as("the creator's maximum, not this call's").hasValue(1);
        }
        first.close();
        // Had the failed create kept its handle, the object would still exist.
        assertThatThrownBy(() -> NamedSemaphore.open(name)).isInstanceOf(NoSuchSemaphoreException.class);
    }

    @Test
    void aNameTakenByAMutexIsRefusedAsAnotherKindOfObject() throws Throwable {
        String name = names.next("win-mutex");
        MemorySegment mutex = Win32Objects.createMutex(name);
        try {
            assertThatThrownBy(() -> NamedSemaphore.create(name, 1)).isExactlyInstanceOf(NamedSemaphoreException.class)
                    .hasMessageContaining("CreateSemaphoreExW: ERROR_INVALID_HANDLE")
                    .hasMessageContaining("another kind of kernel object");
            assertThatThrownBy(() -> NamedSemaphore.open(name)).isExactlyInstanceOf(NamedSemaphoreException.class)
                    .hasMessageContaining("OpenSemaphoreW: ERROR_INVALID_HANDLE")
                    .hasMessageContaining("another kind of kernel object");
        } finally {
            Win32Objects.close(mutex);
        }
        try (var sem = NamedSemaphore.create(name, 1)) {
            assertThat(sem.created()).as("the name is free with the mutex gone").isTrue();
        }
    }

    @Test
    void eachCallNeedsItsAccessRight() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment name = Kernel32.wideString(arena, names.next("win-access"));
            MemorySegment full = Kernel32.CreateSemaphoreExW(state, MemorySegment.NULL, 1, 2, name, 0,
                    Kernel32.SEMAPHORE_ALL_ACCESS);
            MemorySegment waitOnly = Kernel32.OpenSemaphoreW(state, Kernel32.SYNCHRONIZE, 0, name);
            MemorySegment releaseOnly = Kernel32.OpenSemaphoreW(state, Kernel32.SEMAPHORE_MODIFY_STATE, 0, name);
            MemorySegment info = arena.allocate(Ntdll.SEMAPHORE_BASIC_INFORMATION);
            try {
                assertThat(Kernel32.ReleaseSemaphore(state, waitOnly, 1, MemorySegment.NULL)).isZero();
                assertThat(Kernel32.lastError(state)).isEqualTo(WinError.ERROR_ACCESS_DENIED);
                assertThat(Kernel32.WaitForSingleObject(state, releaseOnly, 0)).isEqualTo(Kernel32.WAIT_FAILED);
                assertThat(Kernel32.lastError(state)).isEqualTo(WinError.ERROR_ACCESS_DENIED);
                assertThat(Ntdll.NtQuerySemaphore(waitOnly, Ntdll.SemaphoreBasicInformation, info, 8, MemorySegment.NULL))
                        .as("NtQuerySemaphore without SEMAPHORE_QUERY_STATE").isNotEqualTo(Ntdll.STATUS_SUCCESS);

                assertThat(Kernel32.WaitForSingleObject(state, waitOnly, 0)).isEqualTo(Kernel32.WAIT_OBJECT_0);
                assertThat(Kernel32.ReleaseSemaphore(state, releaseOnly, 1, MemorySegment.NULL)).isNotZero();
                assertThat(Ntdll.NtQuerySemaphore(full, Ntdll.SemaphoreBasicInformation, info, 8, MemorySegment.NULL))
                        .isEqualTo(Ntdll.STATUS_SUCCESS);
                assertThat(info.get(ValueLayout.JAVA_INT, 0)).as("count, changed through the other handles").isEqualTo(1);
            } finally {
                for (MemorySegment handle : List.of(full, waitOnly, releaseOnly)) {
                    assertThat(Kernel32.CloseHandle(state, handle)).isNotZero();
                }
            }
        }
    }

    @Test
    void theObjectOfAKilledProcessDiesWithIt() throws Exception {
        String name = names.next("win-killed");
        var creator = NamedSemaphore.create(name, 1); // the test closes it; finally, if it fails first
        try (var child = Processes.jvm("hold-forever", name)) {
            assertThat(child.readLine()).isEqualTo("acquired");
            creator.close(); // now the child's handle alone keeps the object
            try (var opened = NamedSemaphore.open(name)) {
                assertThat(opened.availablePermits()).isZero();
            }
            child.process.destroyForcibly();
            assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> NamedSemaphore.open(name)).as("Windows closes the handles of a process that ends")
                    .isInstanceOf(NoSuchSemaphoreException.class);
        } finally {
            creator.close();
        }
    }

    @Test
    void theRawBindingsWorkOneToOneAndShareObjectsWithTheApi() {
        String name = "Local\\" + names.next("win-raw");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Kernel32.allocateCallState(arena);
            MemorySegment wideName = Kernel32.wideString(arena, name);
            MemorySegment handle = Kernel32.CreateSemaphoreExW(state, MemorySegment.NULL, 1, 2, wideName, 0,
                    Kernel32.SEMAPHORE_ALL_ACCESS);
            assertThat(handle).isNotEqualTo(MemorySegment.NULL);
            assertThat(Kernel32.lastError(state)).isEqualTo(WinError.ERROR_SUCCESS);

            assertThat(Kernel32.WaitForSingleObject(state, handle, 0)).isEqualTo(Kernel32.WAIT_OBJECT_0);
            assertThat(Kernel32.WaitForSingleObject(state, handle, 0)).isEqualTo(Kernel32.WAIT_TIMEOUT);
            MemorySegment previous = arena.allocate(ValueLayout.JAVA_INT);
            assertThat(Kernel32.ReleaseSemaphore(state, handle, 2, previous)).isNotZero();
            assertThat(previous.get(ValueLayout.JAVA_INT, 0)).isZero();
            assertThat(Kernel32.ReleaseSemaphore(state, handle, 1, previous)).isZero();
            assertThat(Kernel32.lastError(state)).isEqualTo(WinError.ERROR_TOO_MANY_POSTS);

            MemorySegment info = arena.allocate(Ntdll.SEMAPHORE_BASIC_INFORMATION);
            assertThat(Ntdll.NtQuerySemaphore(handle, Ntdll.SemaphoreBasicInformation, info, 8, MemorySegment.NULL))
                    .isEqualTo(Ntdll.STATUS_SUCCESS);
            assertThat(info.get(ValueLayout.JAVA_INT, 0)).isEqualTo(2);
            assertThat(info.get(ValueLayout.JAVA_INT, 4)).isEqualTo(2);

            try (var sem = NamedSemaphore.open(name)) {
                assertThat(sem.availablePermits()).isEqualTo(2);
                assertThat(sem.maxPermits()).hasValue(2);
            }
            assertThat(Kernel32.CloseHandle(state, handle)).isNotZero();

            MemorySegment missing = Kernel32.OpenSemaphoreW(state, Kernel32.SYNCHRONIZE, 0, wideName);
            assertThat(missing).isEqualTo(MemorySegment.NULL);
            assertThat(Kernel32.lastError(state)).isEqualTo(WinError.ERROR_FILE_NOT_FOUND);
            assertThat(Kernel32.formatMessage(WinError.ERROR_FILE_NOT_FOUND)).isNotBlank();
        }
    }
}
