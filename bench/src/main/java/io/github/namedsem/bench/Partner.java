package io.github.namedsem.bench;

import io.github.namedsem.NamedSemaphore;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Semaphore;

/**
 * The other side of a hand-off: waits for PING, releases PONG, forever. Runs as a thread
 * ({@link HandoffBench}) or, through {@link #main}, as a process of its own
 * ({@link PingPongBench}), with the same implementation as the measuring side.
 */
public final class Partner {
    private Partner() {}

    /** Echo between two named semaphores with namedsem's blocking acquire. */
    static void namedsem(NamedSemaphore ping, NamedSemaphore pong) throws InterruptedException {
        for (;;) {
            ping.acquire();
            pong.release();
        }
    }

    /** Echo with the bare binding's sem_wait and sem_post. */
    static void ffm(MemorySegment ping, MemorySegment pong) throws Throwable {
        for (;;) {
            BareFfm.await(ping);
            BareFfm.post(pong);
        }
    }

    /** Echo with java.util.concurrent, for the in-JVM hand-off. */
    static void juc(Semaphore ping, Semaphore pong) throws InterruptedException {
        for (;;) {
            ping.acquire();
            pong.release();
        }
    }

    /** {@code Partner namedsem|ffm PING PONG}: echo until the parent process ends. */
    public static void main(String[] args) throws Throwable {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
        System.out.println("ready");
        if (args[0].equals("namedsem")) {
            namedsem(NamedSemaphore.open(args[1]), NamedSemaphore.open(args[2]));
        } else {
            ffm(BareFfm.open("/" + args[1]), BareFfm.open("/" + args[2]));
        }
    }
}
