package io.github.namedsem;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The behaviour every kind of semaphore must show, written once and run once per kind: each
 * area is an interface of tests (the original package's suite, waiting, the hot path, the
 * model, stress, handle lifetime), and a kind joins by one small subclass that answers
 * {@link KindFixture}'s questions. The test report lists each kind's run under its subclass.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
abstract class SemaphoreContract implements OriginalSuiteContract, WaitingContract, HotPathContract,
        ModelContract, StressContract, LifetimeContract {
    @RegisterExtension
    final UniqueNames names = new UniqueNames();

    @Override
    public final UniqueNames names() {
        return names;
    }

    /**
     * Why this kind cannot run on this machine, or {@code null} if it can. Must be {@code null}
     * wherever the kind is supported: an unavailable kind skips the whole run.
     */
    abstract String unavailableBecause();

    @BeforeEach
    final void kindIsAvailableHere() {
        String why = unavailableBecause();
        assumeTrue(why == null, () -> kind() + " does not run here: " + why);
    }
}
