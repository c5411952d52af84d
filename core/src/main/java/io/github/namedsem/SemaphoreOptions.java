package io.github.namedsem;

import java.util.Objects;

/**
 * How a {@link NamedSemaphore} is created or opened: its {@linkplain #kind() kind} and, for new
 * semaphores, its {@linkplain #mode() access mode}.
 *
 * <p>Instances are immutable; each {@code with}-style method returns a new one. Start from
 * {@link #defaults()}:
 * {@snippet :
 * var options = SemaphoreOptions.defaults().mode(0660);
 * try (var sem = NamedSemaphore.create("jobs", 0, 4, options)) {
 *     // ...
 * }
 * }
 */
public final class SemaphoreOptions {
    /** Owner read and write: nobody else can open a semaphore created with the defaults. */
    public static final int DEFAULT_MODE = 0600;

    private static final SemaphoreOptions DEFAULTS =
            new SemaphoreOptions(SemaphoreKind.STANDARD, DEFAULT_MODE, false, null, false);

    private final SemaphoreKind kind;
    private final int mode;
    private final boolean recordHolders;
    private final String holderCommand;
    private final boolean refuseForeignOwner;

    private SemaphoreOptions(SemaphoreKind kind, int mode, boolean recordHolders, String holderCommand,
                             boolean refuseForeignOwner) {
        this.kind = kind;
        this.mode = mode;
        this.recordHolders = recordHolders;
        this.holderCommand = holderCommand;
        this.refuseForeignOwner = refuseForeignOwner;
    }

    /**
     * The defaults: the {@link SemaphoreKind#STANDARD standard} kind, mode {@code 0600}.
     *
     * @return the default options
     */
    public static SemaphoreOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns options that use the given kind.
     *
     * @param kind the kind of semaphore to create or open
     * @return options equal to these but for the kind
     * @throws NullPointerException if {@code kind} is null
     */
    public SemaphoreOptions kind(SemaphoreKind kind) {
        return new SemaphoreOptions(Objects.requireNonNull(kind, "kind"), mode, recordHolders, holderCommand,
                refuseForeignOwner);
    }

    /**
     * Returns options that create semaphores with the given POSIX permission bits.
     *
     * <p>The mode is used only when a semaphore is created, and, as for files, the process's
     * {@code umask} clears bits from it: with the common umask {@code 022}, {@code 0666}
     * becomes {@code 0644}. To let a group share a semaphore, use {@code 0660} and a umask that
     * keeps the group bits. Windows has no mode; there the semaphore gets the default security
     * descriptor of the creating process and this setting is ignored.
     *
     * @param mode permission bits, {@code 0} to {@code 0777} (write it in octal)
     * @return options equal to these but for the mode
     * @throws IllegalArgumentException if {@code mode} has bits outside {@code 0777}
     */
    public SemaphoreOptions mode(int mode) {
        if ((mode & ~0777) != 0) {
            throw new IllegalArgumentException("Invalid semaphore mode 0" + Integer.toOctalString(mode)
                    + ": only the permission bits 0 to 0777 are allowed (for example 0600 or 0660)");
        }
        return new SemaphoreOptions(kind, mode, recordHolders, holderCommand, refuseForeignOwner);
    }

    /**
     * Returns options whose handles record this process as a holder while it holds permits, so
     * that {@link NamedSemaphore#holders()} can name it (pid, command line, start time, permits)
     * and {@link NamedSemaphore#releaseDeadHolders()} can give back its permits if it dies
     * holding them.
     *
     * <p>Linux only (elsewhere nothing is recorded). The record is a small file in
     * {@code /dev/shm} named after the semaphore and this process, readable by everyone (as
     * {@code /proc/PID/cmdline} is), rewritten on every acquire and release: the cost is a file
     * write per operation, so use it for long holds (jobs, leases), not hot loops. Recording is
     * best effort: if the file cannot be written, the acquire or release still happens. A permit
     * is recorded just after it is taken and un-recorded just before it is given back, so a
     * process killed in between is recorded with fewer permits than it held, never more.
     *
     * @param record whether to record
     * @return options equal to these but for recording
     */
    public SemaphoreOptions recordHolders(boolean record) {
        return new SemaphoreOptions(kind, mode, record, holderCommand, refuseForeignOwner);
    }

    /**
     * Returns options that record the given text as this holder's command, instead of the
     * process's command line (a launcher may name the command it runs for the holder). Control
     * characters are replaced and the text is cut at 1024 characters.
     *
     * @param command what {@link SemaphoreHolder#command()} shows, or null for the command line
     * @return options equal to these but for the recorded command
     */
    public SemaphoreOptions holderCommand(String command) {
        return new SemaphoreOptions(kind, mode, recordHolders, command, refuseForeignOwner);
    }

    /**
     * Whether handles record this process as a holder.
     *
     * @return false by default
     * @see #recordHolders(boolean)
     */
    public boolean recordHolders() {
        return recordHolders;
    }

    /**
     * The command recorded for this holder.
     *
     * @return the text, or null for the process's command line (the default)
     */
    public String holderCommand() {
        return holderCommand;
    }

    /**
     * Returns options that refuse to open a semaphore owned by another user.
     *
     * <p>Semaphore names live in {@code /dev/shm}, which every user can write to: another user
     * can create a name before you do ("squatting"), for example with mode {@code 0666}, and
     * {@code openOrCreate} would then silently use that user's semaphore, which its owner
     * can change, remove or damage at any time. With this option, {@code open} and
     * {@code openOrCreate} close such a handle again and throw
     * {@link SemaphoreAccessDeniedException} naming the owner; semaphores this call creates are
     * always accepted. Only the standard kind on Linux records a file owner: for other kinds the
     * option makes opening an existing semaphore throw {@link UnsupportedOperationException}.
     *
     * @param refuse {@code true} to accept only semaphores owned by this process's effective
     *     user; {@code false} (the default) to accept any that the permissions let in
     * @return options equal to these but for this setting
     * @see NamedSemaphore#ownerUid()
     */
    public SemaphoreOptions refuseForeignOwner(boolean refuse) {
        return new SemaphoreOptions(kind, mode, recordHolders, holderCommand, refuse);
    }

    /**
     * Whether semaphores owned by other users are refused.
     *
     * @return {@code false} by default
     */
    public boolean refusesForeignOwner() {
        return refuseForeignOwner;
    }

    /**
     * The kind of semaphore to create or open.
     *
     * @return the kind; {@link SemaphoreKind#STANDARD} by default
     */
    public SemaphoreKind kind() {
        return kind;
    }

    /**
     * The permission bits for newly created semaphores, before the {@code umask} is applied.
     *
     * @return the mode; {@link #DEFAULT_MODE} by default
     */
    public int mode() {
        return mode;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SemaphoreOptions other && other.kind == kind && other.mode == mode
                && other.recordHolders == recordHolders && Objects.equals(other.holderCommand, holderCommand)
                && other.refuseForeignOwner == refuseForeignOwner;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, mode, recordHolders, holderCommand, refuseForeignOwner);
    }

    @Override
    public String toString() {
        return "SemaphoreOptions[kind=" + kind + ", mode=0" + Integer.toOctalString(mode)
                + (recordHolders ? ", recordHolders" + (holderCommand == null ? "" : "=" + holderCommand) : "")
                + (refuseForeignOwner ? ", refuseForeignOwner" : "") + "]";
    }
}
