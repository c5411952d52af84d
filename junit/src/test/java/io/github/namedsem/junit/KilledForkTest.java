package io.github.namedsem.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The reason the default kind is crash-safe: a test JVM killed with SIGKILL while a test holds
 * the permit (a Surefire fork timeout, the OOM killer) gives the permit back, so the next build
 * does not wait forever.
 */
@EnabledOnOs(OS.LINUX) // the crash-safe kind is Linux-only
class KilledForkTest {
    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);
    private final String prefix = "nsjunit-kill-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";

    /** Holds the permit until killed. */
    static class HoldsUntilKilled {
        @Test
        @SemaphorePermit("db")
        void holds() throws InterruptedException {
            System.out.println("holding");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    /**
     * The child JVM: runs {@link HoldsUntilKilled} with the name prefix in args[0].
     *
     * @param args the prefix
     */
    public static void main(String[] args) {
        EngineTestKit.engine("junit-jupiter")
                .configurationParameter(SemaphorePermitExtension.NAME_PREFIX, args[0])
                .selectors(selectClass(HoldsUntilKilled.class))
                .execute();
    }

    @AfterEach
    void unlink() {
        NamedSemaphore.unlink(prefix + "db", CRASH_SAFE);
    }

    @Test
    void aForkKilledWhileHoldingThePermitGivesItBack() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), KilledForkTest.class.getName(), prefix)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("holding");
            try (var sem = NamedSemaphore.open(prefix + "db", CRASH_SAFE)) {
                assertThat(sem.availablePermits()).as("the child holds the only permit").isZero();
                child.destroyForcibly(); // SIGKILL: no after-callback, no shutdown hook runs
                assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
                assertThat(sem.availablePermits()).as("the kernel gave the permit back").isEqualTo(1);
            }
        } finally {
            child.destroyForcibly();
        }
    }
}
