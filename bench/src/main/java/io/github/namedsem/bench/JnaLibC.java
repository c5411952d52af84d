package io.github.namedsem.bench;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** JNA direct mapping of the same C functions: what many Java projects use instead of FFM. */
public final class JnaLibC {
    static {
        Native.register("c");
    }

    private JnaLibC() {}

    public static native Pointer sem_open(String name, int oflag, int mode, int value);

    public static native int sem_close(Pointer sem);

    public static native int sem_trywait(Pointer sem);

    public static native int sem_post(Pointer sem);

    public static native int sem_wait(Pointer sem);
}
