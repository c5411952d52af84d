package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Random names, hostile ones included: each either works as the semaphore
 * {@code /dev/shm/sem.NAME} and nothing else, or is refused with {@link IllegalArgumentException}
 * and nothing changes. The seed is printed on failure; set {@code -Dnamedsem.test.seed=N} to
 * replay a run.
 */
@EnabledOnOs(OS.LINUX)
class NamePropertiesTest {
    private static final char[] HOSTILE = {'/', '\\', '\0', '.', ' ', '\n', '\t', '\ud800', '\udc00', '*', '%', '~'};
    private static final int TRIES = 400;

    @Test
    void eachRandomNameEitherWorksInTheSemaphoreNamespaceOrIsRefused() {
        long seed = Long.getLong("namedsem.test.seed", System.nanoTime());
        Random random = new Random(seed);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < TRIES; i++) {
            String raw = randomName(random);
            String name = "nsprop-" + ProcessHandle.current().pid() + "-" + i + "-" + raw;
            String context = "seed " + seed + ", try " + i + ", name " + io.github.namedsem.internal.SemaphoreName.quote(name);
            if (checkOne(name, context)) {
                accepted++;
            } else {
                refused++;
            }
        }
        // The generator must exercise both outcomes, or the test proves nothing.
        assertThat(accepted).as("accepted names (seed %d)", seed).isGreaterThan(TRIES / 10);
        assertThat(refused).as("refused names (seed %d)", seed).isGreaterThan(TRIES / 10);
    }

    /**
     * This test's own entries in /dev/shm: every name it tries starts with {@code nsprop-}, so
     * whatever a name turns into stays recognisable, while other programs and test runs on the
     * machine may add and remove their own semaphores meanwhile.
     */
    private static Set<String> ownEntries() {
        Set<String> own = new HashSet<>(ShmDir.entries());
        own.removeIf(entry -> !entry.contains("nsprop-"));
        return own;
    }

    /** Returns whether the name was accepted. */
    private static boolean checkOne(String name, String context) {
        Set<String> before = ownEntries();
        NamedSemaphore sem;
        try {
            sem = NamedSemaphore.create(name, 1);
        } catch (IllegalArgumentException refused) {
            assertThat(refused).as(context).hasMessageStartingWith("Invalid semaphore name");
            assertThat(ownEntries()).as(context).isEqualTo(before);
            return false;
        }
        try {
            Set<String> added = ownEntries();
            added.removeAll(before);
            assertThat(added).as(context).containsExactly("sem." + sem.name());
            assertThat(sem.name().getBytes(StandardCharsets.UTF_8).length).as(context).isLessThanOrEqualTo(251);
            assertThat(sem.tryAcquire()).as(context).isTrue();
        } finally {
            sem.close();
            assertThat(NamedSemaphore.unlink(name)).as(context).isTrue();
        }
        assertThat(ownEntries()).as(context).isEqualTo(before);
        return true;
    }

    /** Mostly letters, often a hostile character, sometimes any UTF-16 unit; 0 to 300 long. */
    private static String randomName(Random random) {
        int length = random.nextInt(10) == 0 ? random.nextInt(300) : random.nextInt(24);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(100);
            if (pick < 94) {
                sb.append((char) ('a' + random.nextInt(26)));
            } else if (pick < 97) {
                sb.append(HOSTILE[random.nextInt(HOSTILE.length)]);
            } else {
                sb.append((char) random.nextInt(Character.MAX_VALUE + 1));
            }
        }
        return sb.toString();
    }
}
