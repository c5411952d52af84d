package io.github.namedsem;

import io.github.namedsem.internal.Backend;
import io.github.namedsem.internal.posix.PosixBackend;
import io.github.namedsem.internal.sysv.SysvBackend;
import io.github.namedsem.internal.platform.Platform;
import io.github.namedsem.internal.platform.Platform.Os;
import io.github.namedsem.internal.windows.WindowsBackend;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Picks the backend for a kind on this operating system; {@link NamedSemaphore} is its only
 * caller. A backend class is loaded only when
 * it is picked, so loading namedsem on Linux never looks up kernel32, and on Windows never
 * looks up the C library's {@code sem_open}.
 */
final class Backends {
    private Backends() {}

    /** The backends there are; each names how to load its one instance. */
    enum Implementation {
        /** POSIX named semaphores through the C library. */
        POSIX(() -> PosixBackend.INSTANCE),
        /** Windows semaphore objects through kernel32 and ntdll. */
        WINDOWS(() -> WindowsBackend.INSTANCE),
        /** System V semaphore sets with SEM_UNDO: the crash-safe kind on Linux. */
        SYSV(() -> SysvBackend.INSTANCE);

        private final Supplier<Backend> loader;

        Implementation(Supplier<Backend> loader) {
            this.loader = loader;
        }
    }

    // A backend or the failure that loading it ended with (native access denied, say), so that
    // every later call gets the same clear exception instead of a NoClassDefFoundError.
    private static final Map<Implementation, Object> LOADED = new ConcurrentHashMap<>();

    /**
     * Which backend serves a kind on an OS, without loading it.
     *
     * @param kind the kind the caller chose
     * @param os the operating system
     * @return the implementation
     * @throws UnsupportedOperationException if that OS does not offer that kind
     */
    static Implementation select(SemaphoreKind kind, Os os) {
        return switch (kind) {
            case STANDARD -> switch (os) {
                case LINUX -> Implementation.POSIX;
                case WINDOWS -> Implementation.WINDOWS;
                case OTHER -> throw unsupported(kind, "supported are Linux and Windows");
            };
            case CRASH_SAFE -> switch (os) {
                case LINUX -> Implementation.SYSV;
                case WINDOWS, OTHER -> throw unsupported(kind, "they exist on Linux only (System V semaphores with"
                        + " SEM_UNDO); on Windows they would need named mutexes, whose abandonment the kernel reports,"
                        + " and namedsem does not provide that yet");
            };
        };
    }

    private static UnsupportedOperationException unsupported(SemaphoreKind kind, String why) {
        return new UnsupportedOperationException("namedsem has no " + kind + " semaphores on "
                + Platform.osName() + ": " + why + ". See the platform table in the README.");
    }

    /**
     * The backend for a kind on the running OS, loaded on first use.
     *
     * @param kind the kind the caller chose
     * @return its backend
     * @throws UnsupportedOperationException if this OS does not offer that kind, or the backend
     *     cannot be loaded (the message says why, for example which flag enables native access)
     */
    static Backend forKind(SemaphoreKind kind) {
        Implementation implementation = select(kind, Platform.OS);
        Object loaded = LOADED.computeIfAbsent(implementation, Backends::load);
        if (loaded instanceof Backend backend) {
            return backend;
        }
        Throwable failure = (Throwable) loaded;
        throw new UnsupportedOperationException(failure.getMessage(), failure);
    }

    private static Object load(Implementation implementation) {
        try {
            return implementation.loader.get();
        } catch (ExceptionInInitializerError e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (RuntimeException | LinkageError e) {
            return e;
        }
    }
}
