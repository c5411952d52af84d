package io.github.namedsem.cli;

import java.util.Map;

/**
 * The locale of whoever ran {@code namedsem}. Under a non-UTF-8 locale (LANG=C: cron, {@code env -i})
 * {@code bin/namedsem} runs the JVM with {@code LC_ALL=C.UTF-8}, because Java decodes arguments and
 * file names with the locale's charset and would turn a name's bytes into U+FFFD. It saves the
 * caller's {@code LC_ALL} in {@code NAMEDSEM_CALLER_LC_ALL} ({@code set:VALUE} or {@code unset}),
 * and a command that namedsem starts gets it back here: the workaround is namedsem's, not its
 * command's.
 */
final class CallerLocale {
    static final String SAVED = "NAMEDSEM_CALLER_LC_ALL";

    private CallerLocale() {}

    /** Puts the caller's {@code LC_ALL} back into the environment of a process about to start. */
    static void restore(Map<String, String> environment) {
        String saved = environment.remove(SAVED);
        if (saved == null) {
            return; // the launcher changed nothing
        }
        if (saved.startsWith("set:")) {
            environment.put("LC_ALL", saved.substring("set:".length()));
        } else {
            environment.remove("LC_ALL");
        }
    }
}
