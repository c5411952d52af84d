package io.github.namedsem.cli;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * The named FIFO that holds a jobserver's free tokens, opened read-write and non-blocking by
 * this JVM (Linux, through the C library).
 *
 * <p>{@link java.nio.channels.FileChannel} cannot do this job: it cannot read a FIFO without
 * blocking, and it cannot tell how many bytes a FIFO holds. Both matter here: the number of bytes
 * in the FIFO is the number of free tokens (FIONREAD), and reading tokens back must never wait
 * for a client that took the last one a moment earlier. Opening read-write never blocks and
 * keeps the FIFO alive (a reader and a writer) for as long as this JVM runs.
 */
final class JobserverFifo implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final MethodHandle MKFIFO = function("mkfifo",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ERRNO_OPTION);
    private static final MethodHandle OPEN = function("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL = function("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), ERRNO_OPTION, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = function("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle WRITE = function("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = function("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    // Linux's values, the same on x86-64 and AArch64 (asm-generic).
    private static final int O_RDWR = 02;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final long FIONREAD = 0x541B;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;

    /** The byte a token is; GNU make writes back whatever byte it read, and starts with '+'. */
    static final byte TOKEN = '+';

    private final Path path;
    private final int fd;
    private boolean closed;

    private JobserverFifo(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    @SuppressWarnings("restricted") // the CLI's own few libc functions
    private static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("the C library has no " + name + "()"));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /**
     * Creates the FIFO {@code path} (mode 0600; it must not exist) and opens it.
     *
     * @throws IOException naming the path and the system's reason
     */
    static JobserverFifo create(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment cPath = arena.allocateFrom(path.toString());
            if ((int) MKFIFO.invokeExact(state, cPath, 0600) != 0) {
                throw failure("cannot create the FIFO " + path, state);
            }
            int fd = (int) OPEN.invokeExact(state, cPath, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
            if (fd < 0) {
                throw failure("cannot open the FIFO " + path, state);
            }
            return new JobserverFifo(path, fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling the C library failed", e);
        }
    }

    Path path() {
        return path;
    }

    /** How many tokens the FIFO holds now: the free tokens of the pool. */
    synchronized int available() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment count = arena.allocate(JAVA_INT);
            if ((int) IOCTL.invokeExact(state, fd, FIONREAD, count) != 0) {
                throw failure("cannot count the tokens in " + path, state);
            }
            return count.get(JAVA_INT, 0);
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling the C library failed", e);
        }
    }

    /** Adds one token to the pool. */
    synchronized void put() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment token = arena.allocate(JAVA_BYTE);
            token.set(JAVA_BYTE, 0, TOKEN);
            for (;;) {
                long n = (long) WRITE.invokeExact(state, fd, token, 1L);
                if (n == 1) {
                    return;
                }
                if (n < 0 && errno(state) != EINTR) {
                    throw failure("cannot write a token to " + path, state);
                }
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling the C library failed", e);
        }
    }

    /**
     * Takes up to {@code max} tokens out of the pool without waiting: fewer if clients took some
     * in the meantime.
     *
     * @return how many were taken
     */
    synchronized int take(int max) throws IOException {
        if (max <= 0) {
            return 0;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment buffer = arena.allocate(Math.min(max, 4096));
            int taken = 0;
            while (taken < max) {
                long n = (long) READ.invokeExact(state, fd, buffer, (long) Math.min(max - taken, 4096));
                if (n > 0) {
                    taken += (int) n;
                } else if (n == 0 || errno(state) == EAGAIN) {
                    return taken; // empty (n == 0 cannot happen while this JVM is a writer)
                } else if (errno(state) != EINTR) {
                    throw failure("cannot read tokens back from " + path, state);
                }
            }
            return taken;
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("calling the C library failed", e);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    @SuppressWarnings("restricted") // strerror's string: its length is unknown
    private static IOException failure(String what, MemorySegment state) {
        int errno = errno(state);
        String reason;
        try {
            reason = ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(1024).getString(0);
        } catch (Throwable e) {
            reason = "errno " + errno;
        }
        return new IOException(what + ": " + reason);
    }

    /** Closes this JVM's descriptor; the caller removes the FIFO itself. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable e) {
                throw new IllegalStateException("calling the C library failed", e);
            }
        }
    }
}
