package io.github.namedsem.internal.holders;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;

/** Reads files that anyone may have planted: no symbolic links, regular files only, a byte limit. */
final class Bounded {
    private Bounded() {}

    /**
     * Reads at most {@code limit} bytes of a regular file.
     *
     * @throws IOException if it is not a regular file, is a link, or is longer than {@code limit}
     */
    static byte[] read(Path file, int limit) throws IOException {
        // Checked before opening so that a FIFO planted under the name cannot block the open.
        PosixFileAttributes before = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!before.isRegularFile()) {
            throw new IOException(file + " is not a regular file");
        }
        try (SeekableByteChannel in = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate(limit + 1);
            while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                // keep reading: /proc files and short writes arrive in pieces
            }
            if (!buffer.hasRemaining()) {
                throw new IOException(file + " is longer than " + limit + " bytes");
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }
}
