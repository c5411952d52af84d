package io.github.namedsem;

import java.time.Instant;
import java.util.Optional;

/**
 * A process recorded as holding permits of a named semaphore, as {@link NamedSemaphore#holders()}
 * reports it.
 *
 * <p>Only processes that opened the semaphore with {@link SemaphoreOptions#recordHolders(boolean)}
 * are recorded (the {@code namedsem run} command does); programs in other languages, and Java code
 * that does not ask for it, hold permits unseen. The record is kept in a small file next to the
 * semaphore, written by the holder itself, so it is a claim, checked as far as the kernel allows:
 * whether the process still exists is verified against the process table, including its start
 * time, so a new process that reuses the pid is not taken for the holder.
 *
 * @param pid the holder's process id
 * @param command the command line it recorded (control characters replaced), possibly empty
 * @param started when the holder process started, where known
 * @param permits how many permits it recorded holding
 * @param state whether the process still exists
 * @param trusted whether the record was written by the current user or the semaphore's owner;
 *     only trusted records of dead holders are repaired
 */
public record SemaphoreHolder(long pid, String command, Optional<Instant> started, int permits, State state,
                              boolean trusted) {

    /** Whether the recorded holder process still exists. */
    public enum State {
        /** The process exists and started when the record says: it is the holder. */
        ALIVE,
        /**
         * No process has that pid, or one does that started at another time (the pid was reused):
         * the holder has exited. For the standard kind its permits are lost until
         * {@link NamedSemaphore#releaseDeadHolders()} gives them back; for the crash-safe kind the
         * kernel gave them back when it exited.
         */
        DEAD,
        /** The process table does not say (for example {@code /proc} mounted with {@code hidepid}). */
        UNKNOWN
    }
}
