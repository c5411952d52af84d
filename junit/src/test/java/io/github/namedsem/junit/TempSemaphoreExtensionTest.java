package io.github.namedsem.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@link TempSemaphore} run through the real Jupiter engine on fixture classes. */
@EnabledOnOs(OS.LINUX) // the crash-safe kind is Linux-only
class TempSemaphoreExtensionTest {
    /** What the fixtures saw: "where" to name and count. */
    static final List<String> names = new CopyOnWriteArrayList<>();
    static final Map<String, String> seen = new ConcurrentHashMap<>();

    @BeforeEach
    void clear() {
        names.clear();
        seen.clear();
    }

    static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
    }

    static void record(String where, NamedSemaphore sem) {
        names.add(sem.name());
        seen.put(where, sem.name() + " " + sem.kind() + " " + sem.availablePermits() + "/" + sem.maxPermits());
    }

    static class Fixture {
        @TempSemaphore(permits = 3)
        static NamedSemaphore perClass;

        @TempSemaphore
        private NamedSemaphore perTest;

        @Test
        void first(@TempSemaphore(permits = 0, maxPermits = 5) NamedSemaphore parameter) {
            record("first.parameter", parameter);
            record("first.field", perTest);
            record("first.static", perClass);
        }

        @Test
        void second(@TempSemaphore(kind = SemaphoreKind.CRASH_SAFE) NamedSemaphore parameter) {
            record("second.parameter", parameter);
            record("second.field", perTest);
            record("second.static", perClass);
        }
    }

    @Test
    void fieldsAndParametersGetFreshSemaphoresThatAreRemovedAfterwards() {
        run(Fixture.class).assertStatistics(s -> s.succeeded(2).failed(0));

        assertThat(seen.get("first.parameter")).endsWith(" STANDARD 0/OptionalInt[5]");
        assertThat(seen.get("first.field")).endsWith(" STANDARD 1/OptionalInt[1]");
        assertThat(seen.get("first.static")).endsWith(" STANDARD 3/OptionalInt[3]");
        assertThat(seen.get("second.parameter")).endsWith(" CRASH_SAFE 1/OptionalInt[1]");
        // One static semaphore for the class, a new one per test for fields and parameters.
        assertThat(seen.get("first.static")).isEqualTo(seen.get("second.static"));
        assertThat(seen.get("first.field")).isNotEqualTo(seen.get("second.field"));
        assertThat(names.stream().distinct()).hasSize(5);

        for (String name : names.stream().distinct().toList()) {
            SemaphoreOptions options = SemaphoreOptions.defaults()
                    .kind(seen.get("second.parameter").startsWith(name + " ") ? SemaphoreKind.CRASH_SAFE : SemaphoreKind.STANDARD);
            assertThatThrownBy(() -> NamedSemaphore.open(name, options)).as(name).isInstanceOf(NoSuchSemaphoreException.class);
        }
    }

    static class FailingFixture {
        @TempSemaphore
        NamedSemaphore field;

        @Test
        void fails() {
            record("fails.field", field);
            throw new AssertionError("the test fails; its semaphore is removed anyway");
        }
    }

    @Test
    void aFailingTestsSemaphoreIsRemovedToo() {
        run(FailingFixture.class).assertStatistics(s -> s.failed(1));
        assertThat(names).hasSize(1);
        assertThatThrownBy(() -> NamedSemaphore.open(names.getFirst())).isInstanceOf(NoSuchSemaphoreException.class);
    }

    static class WrongTypeFixture {
        @Test
        void wrongType(@TempSemaphore String notASemaphore) {
            names.add(notASemaphore);
        }
    }

    @Test
    void onAnythingButANamedSemaphoreItSaysWhere() {
        Events events = run(WrongTypeFixture.class);
        events.assertStatistics(s -> s.failed(1));
        Throwable failure = events.failed().list().getFirst()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
        assertThat(failure).hasMessageContaining("@TempSemaphore goes on a NamedSemaphore parameter");
        assertThat(names).isEmpty();
    }
}
