package io.github.namedsem.internal.windows;

import java.util.concurrent.TimeUnit;

/** Converts wait times to the {@code DWORD} milliseconds that {@code WaitForSingleObject} takes. */
public final class WindowsTimeouts {
    private WindowsTimeouts() {}

    /**
     * Milliseconds for a native wait of at most {@code nanos}.
     *
     * <p>Rounds up, so that a wait for a few microseconds still waits instead of polling; never
     * negative; and never {@code INFINITE} (0xFFFFFFFF), which a careless conversion of a long
     * wait or of -1 would produce: the result is at most {@link Integer#MAX_VALUE} (about 24
     * days), and callers wait in slices anyway.
     *
     * @param nanos the wait in nanoseconds; zero or negative for none
     * @return 0 to {@link Integer#MAX_VALUE}
     */
    public static int toMillis(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        if (TimeUnit.MILLISECONDS.toNanos(millis) < nanos) {
            millis++;
        }
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }
}
