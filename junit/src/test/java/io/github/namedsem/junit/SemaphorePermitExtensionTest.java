package io.github.namedsem.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@link SemaphorePermit} run through the real Jupiter engine on fixture classes. */
@EnabledOnOs(OS.LINUX) // the crash-safe kind is Linux-only
class SemaphorePermitExtensionTest {
    private static final SemaphoreOptions CRASH_SAFE = SemaphoreOptions.defaults().kind(SemaphoreKind.CRASH_SAFE);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** What the fixtures saw: "phase:available permits". */
    static final List<String> seen = new CopyOnWriteArrayList<>();
    static volatile String prefix;

    @BeforeEach
    void uniquePrefix() {
        prefix = "nsjunit-ut-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-";
        seen.clear();
    }

    @AfterEach
    void unlinkWhatTheFixturesCreated() {
        // @SemaphorePermit leaves its semaphores for other builds; these tests clean up.
        for (String name : List.of("db", "busy")) {
            NamedSemaphore.unlink(prefix + name, CRASH_SAFE);
        }
    }

    static int available(String name) {
        try (var sem = NamedSemaphore.open(prefix + name, CRASH_SAFE)) {
            return sem.availablePermits();
        }
    }

    static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(SemaphorePermitExtension.NAME_PREFIX, prefix)
                .selectors(selectClass(fixture))
                .execute();
    }

    static class MethodFixture {
        @BeforeEach
        void before() {
            seen.add("beforeEach:" + available("db"));
        }

        @Test
        @SemaphorePermit(value = "db", permits = 2)
        void holdsOneOfTwo() {
            seen.add("test:" + available("db"));
        }

        @AfterEach
        void after() {
            seen.add("afterEach:" + available("db"));
        }
    }

    @Test
    void aMethodHoldsItsPermitFromBeforeEachToAfterEachAndGivesItBack() {
        run(MethodFixture.class).testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(seen).containsExactly("beforeEach:1", "test:1", "afterEach:1");
        assertThat(available("db")).isEqualTo(2);
    }

    @Test
    void theDefaultKindIsCrashSafe() {
        run(MethodFixture.class).testEvents().assertStatistics(s -> s.succeeded(1));
        assertThatThrownBy(() -> NamedSemaphore.open(prefix + "db")).isInstanceOf(NoSuchSemaphoreException.class);
        assertThat(available("db")).isEqualTo(2); // opened as CRASH_SAFE
    }

    @SemaphorePermit("db")
    static class ClassFixture {
        @BeforeAll
        static void beforeAll() {
            seen.add("beforeAll:" + available("db"));
        }

        @Test
        @SemaphorePermit(value = "db", timeout = 2, timeoutUnit = TimeUnit.SECONDS)
        void sameNameAgainRunsUnderTheClassPermit() {
            seen.add("test:" + available("db"));
        }

        @Test
        void another() {
            seen.add("test:" + available("db"));
        }

        @AfterAll
        static void afterAll() {
            seen.add("afterAll:" + available("db"));
        }
    }

    @Test
    void aClassHoldsOnePermitFromBeforeAllToAfterAll() {
        run(ClassFixture.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(seen).containsExactly("beforeAll:0", "test:0", "test:0", "afterAll:0");
        assertThat(available("db")).isEqualTo(1);
    }

    static class BusyFixture {
        @Test
        @SemaphorePermit(value = "busy", timeout = 300, timeoutUnit = TimeUnit.MILLISECONDS)
        void mustNotRun() {
            seen.add("ran");
        }
    }

    @Test
    void aTestThatGetsNoPermitInTimeFailsWithoutRunning() throws Exception {
        try (var sem = NamedSemaphore.create(prefix + "busy", 1, 1, CRASH_SAFE);
             var _ = sem.permit()) {
            var events = run(BusyFixture.class).testEvents();
            events.assertStatistics(s -> s.failed(1).succeeded(0));
            Throwable failure = events.failed().list().getFirst()
                    .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                    .getThrowable().orElseThrow();
            assertThat(failure).isInstanceOf(SemaphorePermitTimeoutException.class)
                    .hasMessageContaining("semaphore " + prefix + "busy ")
                    .hasMessageContaining("namedsem info " + prefix + "busy --crash-safe");
        }
        assertThat(seen).isEmpty();
    }

    static class BadFixture {
        @Test
        @SemaphorePermit(value = "db", permits = 0)
        void zeroPermits() {
            seen.add("ran");
        }
    }

    @Test
    void zeroPermitsIsAConfigurationErrorAndCreatesNothing() {
        run(BadFixture.class).testEvents().assertStatistics(s -> s.failed(1));
        assertThat(seen).isEmpty();
        assertThatThrownBy(() -> available("db")).isInstanceOf(NoSuchSemaphoreException.class);
    }
}
