package io.github.namedsem.cli;

/** The exit statuses of namedsem, as documented in its help and the README. */
final class ExitCodes {
    private ExitCodes() {}

    static final int OK = 0;
    /** The operation failed: no such semaphore, access denied, limit exceeded, ... */
    static final int ERROR = 1;
    /** The command line was wrong: unknown option, bad duration, bad number. */
    static final int USAGE = 2;
    /** No permit became free within --timeout; sysexits.h's EX_TEMPFAIL ("try again later"). */
    static final int TIMED_OUT = 75;
}
