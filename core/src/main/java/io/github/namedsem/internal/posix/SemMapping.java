package io.github.namedsem.internal.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * One semaphore file mapped into this process, shared by every handle that opened the same
 * file (the same device and inode), as glibc's {@code sem_open} shares its mappings: the
 * mapping and its unmapping are paid once per file, not per handle.
 *
 * <p>The memory belongs to an {@link Arena#ofShared() shared arena}. That is what makes the
 * handles' unguarded compare-and-set operations safe against a racing {@code close()}: closing
 * a shared arena waits, in a thread handshake, until no thread is inside an access to it, and
 * any access after that throws {@link IllegalStateException} instead of touching unmapped
 * memory.
 */
final class SemMapping {
    /** {@code sizeof(sem_t)} on 64-bit glibc: the bytes mapped and the smallest valid file. */
    static final long SEM_SIZE = 32;

    private record FileId(long device, long inode) {}

    private static final Map<FileId, SemMapping> OPEN = new HashMap<>(); // guarded by itself

    private final FileId id;
    private final Arena arena;
    /** The mapped {@code sem_t}, {@link #SEM_SIZE} bytes. */
    final MemorySegment sem;
    /** The file's owner and size when this process first mapped it. */
    final int ownerUid;
    final long sizeAtOpen;
    private int references = 1; // guarded by OPEN

    private SemMapping(FileId id, Arena arena, MemorySegment sem, int ownerUid, long sizeAtOpen) {
        this.id = id;
        this.arena = arena;
        this.sem = sem;
        this.ownerUid = ownerUid;
        this.sizeAtOpen = sizeAtOpen;
    }

    /** What maps a file the first time: returns the address, or throws. */
    interface Mapper {
        long map();
    }

    /**
     * The mapping of the file {@code (device, inode)}: the one this process has, with one more
     * reference, or a new one made by {@code mapper}.
     */
    static SemMapping acquire(long device, long inode, int ownerUid, long size, Mapper mapper) {
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
            SemMapping mapping = new SemMapping(id, arena, sem, ownerUid, size);
            OPEN.put(id, mapping);
            return mapping;
        }
    }

    /** Drops one reference; the last one unmaps the file. */
    void release() {
        synchronized (OPEN) {
            if (--references > 0) {
                return;
            }
            OPEN.remove(id);
        }
        // Outside the lock: closing a shared arena waits for a handshake with every thread.
        arena.close();
    }
}
