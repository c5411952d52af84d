package io.github.namedsem.internal.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One semaphore file mapped into this process, shared by every handle that opened the same
 * file (the same device and inode), as glibc's {@code sem_open} shares its mappings: the
 * mapping and its unmapping are paid once per file, not per handle.
 *
 * <p>The memory belongs to an {@link Arena#ofShared() shared arena}. That is what makes the
 * handles' unguarded compare-and-set operations safe against a racing unmap: closing a shared
 * arena waits, in a thread handshake, until no thread is inside an access to it, and any access
 * after that throws {@link IllegalStateException} instead of touching unmapped memory.
 *
 * <p>When the last handle lets go, the mapping lingers for {@link #LINGER_NANOS} before a
 * background thread unmaps it, in batches. Two reasons: closing a shared arena costs a
 * handshake with every thread of the JVM (half a millisecond with a thousand parked threads),
 * which a close() should not pay and an open() of the same file soon after can skip; and an
 * access that a handshake catches may be cut short <em>after</em> its compare-and-set took
 * effect, so that the caller would see "closed" for an operation that happened. A thread would
 * have to stall inside one access for the whole grace period, after its handle was closed,
 * for that to happen.
 */
final class SemMapping {
    /** {@code sizeof(sem_t)} on 64-bit glibc: the bytes mapped and the smallest valid file. */
    static final long SEM_SIZE = 32;

    private record FileId(long device, long inode) {}

    /** How long an unused mapping stays before it is unmapped. */
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Map<FileId, SemMapping> OPEN = new HashMap<>(); // guarded by itself
    private static Thread unmapper; // guarded by OPEN

    private final FileId id;
    private final Arena arena;
    /** The mapped {@code sem_t}, {@link #SEM_SIZE} bytes. */
    final MemorySegment sem;
    private int references = 1; // guarded by OPEN
    private long unusedSince; // guarded by OPEN; System.nanoTime() when references fell to 0

    private SemMapping(FileId id, Arena arena, MemorySegment sem) {
        this.id = id;
        this.arena = arena;
        this.sem = sem;
    }

    /** What maps a file the first time: returns the address, or throws. */
    interface Mapper {
        long map();
    }

    /**
     * The mapping of the file {@code (device, inode)}: the one this process has, with one more
     * reference, or a new one made by {@code mapper}.
     */
    @SuppressWarnings("restricted") // our own mapping, of the size we mapped
    static SemMapping acquire(long device, long inode, Mapper mapper) {
        FileId id = new FileId(device, inode);
        synchronized (OPEN) {
            SemMapping existing = OPEN.get(id);
            if (existing != null) {
                existing.references++;
                return existing;
            }
            long address = mapper.map();
            Arena arena = Arena.ofShared();
            MemorySegment sem = MemorySegment.ofAddress(address)
                    .reinterpret(SEM_SIZE, arena, unmapped -> Sys.munmap(address, SEM_SIZE));
            SemMapping mapping = new SemMapping(id, arena, sem);
            OPEN.put(id, mapping);
            return mapping;
        }
    }

    /** Drops one reference; after the last one the mapping lingers, then is unmapped. */
    void release() {
        synchronized (OPEN) {
            if (--references > 0) {
                return;
            }
            unusedSince = System.nanoTime();
            if (unmapper == null) {
                unmapper = Thread.ofPlatform().daemon().name("namedsem-unmapper").start(SemMapping::unmapUnused);
            }
        }
    }

    /**
     * Drops one reference of a mapping no handle has used (its file was just refused); the
     * last one unmaps it at once, so that a refused file leaves nothing behind.
     */
    void discard() {
        synchronized (OPEN) {
            if (--references > 0) {
                return;
            }
            OPEN.remove(id);
        }
        arena.close();
    }

    /** The unmapper thread: unmaps what lingered long enough, in batches; ends when nothing lingers. */
    private static void unmapUnused() {
        for (;;) {
            LockSupport.parkNanos(LINGER_NANOS);
            List<SemMapping> expired = new ArrayList<>();
            synchronized (OPEN) {
                long now = System.nanoTime();
                boolean lingering = false;
                for (var it = OPEN.values().iterator(); it.hasNext(); ) {
                    SemMapping m = it.next();
                    if (m.references == 0 && now - m.unusedSince >= LINGER_NANOS) {
                        it.remove();
                        expired.add(m);
                    } else if (m.references == 0) {
                        lingering = true;
                    }
                }
                if (!lingering && expired.isEmpty()) {
                    unmapper = null;
                    return;
                }
            }
            for (SemMapping m : expired) { // outside the lock: each close is a handshake
                m.arena.close();
            }
        }
    }
}
