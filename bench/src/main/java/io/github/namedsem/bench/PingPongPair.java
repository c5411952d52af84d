package io.github.namedsem.bench;

import io.github.namedsem.NamedSemaphore;
import java.lang.foreign.MemorySegment;

/**
 * The two semaphores of a round trip, PING and PONG, each both as a namedsem handle and as a
 * bare {@code sem_t *}, so every implementation in a benchmark uses the same pair.
 */
final class PingPongPair {
    final String pingName = Names.unique("ping");
    final String pongName = Names.unique("pong");
    final NamedSemaphore ping = NamedSemaphore.create(pingName, 0, 1);
    final NamedSemaphore pong = NamedSemaphore.create(pongName, 0, 1);
    final MemorySegment rawPing;
    final MemorySegment rawPong;

    PingPongPair() throws Throwable {
        rawPing = BareFfm.open("/" + pingName);
        rawPong = BareFfm.open("/" + pongName);
    }

    /** One round trip from the measuring side. */
    void roundTrip(String impl) throws Throwable {
        if (impl.equals("namedsem")) {
            ping.release();
            pong.acquire();
        } else {
            BareFfm.post(rawPing);
            BareFfm.await(rawPong);
        }
    }

    void unlink() {
        NamedSemaphore.unlink(pingName);
        NamedSemaphore.unlink(pongName);
    }
}
