package io.github.namedsem;

import io.github.namedsem.windows.Kernel32;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Child JVM commands that break the handle contract on purpose, so that a test can see the Win32
 * emulation's detector stop the process. Started through {@link ChildMain} as
 * {@code win32-use-after-close NAME} and {@code win32-close-during-wait NAME}.
 */
final class Win32MisuseChild {
    private Win32MisuseChild() {}

    static void main(String[] args) throws Exception {
        Arena arena = Arena.global();
        MemorySegment state = Kernel32.allocateCallState(arena);
        MemorySegment handle = Kernel32.CreateSemaphoreExW(state, MemorySegment.NULL, 0, 1,
                Kernel32.wideString(arena, args[1]), 0, Kernel32.SEMAPHORE_ALL_ACCESS);
        switch (args[0]) {
            case "win32-use-after-close" -> {
                Kernel32.CloseHandle(state, handle);
                System.out.println("closed");
                Kernel32.ReleaseSemaphore(state, handle, 1, MemorySegment.NULL);
            }
            case "win32-close-during-wait" -> {
                Thread waiter = Thread.ofPlatform().start(() -> {
                    try (Arena own = Arena.ofConfined()) {
                        Kernel32.WaitForSingleObject(Kernel32.allocateCallState(own), handle, 60_000);
                    }
                });
                Thread.sleep(300); // the waiter is in WaitForSingleObject by now, or the test fails
                System.out.println("closing");
                Kernel32.CloseHandle(state, handle);
                waiter.join();
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.out.println("survived");
    }
}
