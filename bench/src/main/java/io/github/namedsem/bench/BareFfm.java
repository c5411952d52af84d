package io.github.namedsem.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The floor for Java: the C library's semaphore functions bound through java.lang.foreign with
 * no abstraction at all (no guard, no errno, no checks), once plain and once with
 * {@link Linker.Option#critical}, the option namedsem uses on its hot path.
 */
public final class BareFfm {
    private static final Linker LINKER = Linker.nativeLinker();

    @SuppressWarnings("restricted") // the bare FFM baseline binds libc itself
    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
    }

    private static final FunctionDescriptor INT_OF_SEM = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final MethodHandle SEM_OPEN = bind("sem_open",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SEM_CLOSE = bind("sem_close", INT_OF_SEM);
    private static final MethodHandle SEM_TRYWAIT = bind("sem_trywait", INT_OF_SEM);
    private static final MethodHandle SEM_POST = bind("sem_post", INT_OF_SEM);
    private static final MethodHandle SEM_WAIT = bind("sem_wait", INT_OF_SEM);
    private static final MethodHandle SEM_TRYWAIT_CRITICAL = bind("sem_trywait", INT_OF_SEM, Linker.Option.critical(false));
    private static final MethodHandle SEM_POST_CRITICAL = bind("sem_post", INT_OF_SEM, Linker.Option.critical(false));

    private BareFfm() {}

    /** sem_open of an existing semaphore; the name is POSIX, with its slash. */
    public static MemorySegment open(String posixName) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sem = (MemorySegment) SEM_OPEN.invokeExact(arena.allocateFrom(posixName), 0, 0, 0);
            if (sem.address() == 0) {
                throw new IllegalStateException("sem_open " + posixName + " failed");
            }
            return sem;
        }
    }

    public static int close(MemorySegment sem) throws Throwable {
        return (int) SEM_CLOSE.invokeExact(sem);
    }

    public static int trywait(MemorySegment sem) throws Throwable {
        return (int) SEM_TRYWAIT.invokeExact(sem);
    }

    public static int post(MemorySegment sem) throws Throwable {
        return (int) SEM_POST.invokeExact(sem);
    }

    public static int await(MemorySegment sem) throws Throwable {
        return (int) SEM_WAIT.invokeExact(sem);
    }

    public static int trywaitCritical(MemorySegment sem) throws Throwable {
        return (int) SEM_TRYWAIT_CRITICAL.invokeExact(sem);
    }

    public static int postCritical(MemorySegment sem) throws Throwable {
        return (int) SEM_POST_CRITICAL.invokeExact(sem);
    }
}
