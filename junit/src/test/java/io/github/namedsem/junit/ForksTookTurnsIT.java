package io.github.namedsem.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Reads the log that the test classes in {@code forks/} wrote while Surefire ran them in two
 * JVMs at once (the {@code two-concurrent-forks} execution in pom.xml), every one of them
 * holding the permit of one semaphore: no two may have been inside at the same time.
 */
@EnabledOnOs(OS.LINUX) // the crash-safe kind is Linux-only
class ForksTookTurnsIT {
    private static final String LOCK = System.getProperty("namedsem.forks.lockName");

    record Line(String event, String pid, String where) {
        static Line parse(String text) {
            String[] parts = text.split(" ");
            return new Line(parts[0], parts[1], parts[2]);
        }
    }

    static List<Line> log() throws Exception {
        return Files.readAllLines(Path.of(System.getProperty("namedsem.forks.log"))).stream().map(Line::parse).toList();
    }

    @Test
    void enterAndExitAlternateSoNoTwoTestsOverlapped() throws Exception {
        List<Line> inside = log().stream().filter(l -> !l.event().equals("ready")).toList();
        // 2 classes holding the permit once each, 2 classes holding it in each of 2 methods.
        assertThat(inside).hasSize(2 * (2 + 4));
        for (int i = 0; i < inside.size(); i += 2) {
            Line enter = inside.get(i);
            Line exit = inside.get(i + 1);
            assertThat(enter.event()).as("line %d of %s", i, inside).isEqualTo("enter");
            assertThat(exit).as("line %d of %s: the next event after an enter must be its own exit", i + 1, inside)
                    .isEqualTo(new Line("exit", enter.pid(), enter.where()));
        }
    }

    @Test
    void theTwoForksRanAtTheSameTime() throws Exception {
        List<Line> log = log();
        Set<String> pids = new HashSet<>();
        log.forEach(l -> pids.add(l.pid()));
        assertThat(pids).as("surefire used two JVMs").hasSize(2);
        // Somewhere a class of one fork asked for the permit while the other fork held it:
        // without that, the check above would prove nothing.
        boolean contended = false;
        String holder = null;
        for (Line l : log) {
            switch (l.event()) {
                case "enter" -> holder = l.pid();
                case "exit" -> holder = null;
                default -> contended |= holder != null && !holder.equals(l.pid());
            }
        }
        assertThat(contended).as("one fork waited while the other held the permit: %s", log).isTrue();
    }

    @AfterAll
    static void removeTheSharedSemaphore() {
        NamedSemaphore.unlink(LOCK, SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE));
    }
}
