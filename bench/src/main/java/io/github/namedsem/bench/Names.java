package io.github.namedsem.bench;

import java.util.concurrent.ThreadLocalRandom;

/** Semaphore names no other run uses. */
final class Names {
    private Names() {}

    static String unique(String what) {
        return "nsbench-" + what + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    }
}
