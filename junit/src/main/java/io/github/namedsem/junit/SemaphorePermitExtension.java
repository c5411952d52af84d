package io.github.namedsem.junit;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.Permit;
import io.github.namedsem.SemaphoreOptions;
import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Takes and gives back the permits of {@link SemaphorePermit}. Registered by the annotation;
 * there is no need to name it in {@code @ExtendWith}.
 *
 * <p>Release happens in the matching after-callback rather than through JUnit's store closing,
 * so it works the same on every JUnit 5 version and the permit goes back before the next
 * test's before-callbacks.
 */
public final class SemaphorePermitExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** Configuration parameter (or system property) put in front of every semaphore name. */
    public static final String NAME_PREFIX = "namedsem.junit.namePrefix";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SemaphorePermitExtension.class);

    /** Creates the extension; JUnit does this. */
    public SemaphorePermitExtension() {}

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        take(context, context.getRequiredTestClass());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        giveBack(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws InterruptedException {
        take(context, context.getRequiredTestMethod());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        giveBack(context);
    }

    private static void take(ExtensionContext context, AnnotatedElement element) throws InterruptedException {
        Optional<SemaphorePermit> annotation = AnnotationSupport.findAnnotation(element, SemaphorePermit.class);
        if (annotation.isEmpty()) {
            return;
        }
        SemaphorePermit spec = annotation.get();
        String name = context.getConfigurationParameter(NAME_PREFIX).orElse("") + spec.value();
        // Held by an enclosing context (the class, an outer @Nested class): already ours.
        if (context.getStore(NAMESPACE).get(name) != null) {
            return;
        }
        if (spec.permits() < 1 || spec.timeout() < 0) {
            throw new ExtensionConfigurationException("@SemaphorePermit(\"" + spec.value() + "\") on " + element
                    + " needs permits >= 1 and timeout >= 0 (got permits=" + spec.permits()
                    + ", timeout=" + spec.timeout() + ")");
        }
        Duration timeout = Duration.of(spec.timeout(), spec.timeoutUnit().toChronoUnit());
        NamedSemaphore sem = NamedSemaphore.openOrCreate(name, spec.permits(), spec.permits(),
                SemaphoreOptions.defaults().kind(spec.kind()));
        try {
            Permit permit = sem.permit(timeout);
            context.getStore(NAMESPACE).put(name, new Held(sem, permit, context.getUniqueId()));
            context.getStore(NAMESPACE).put(Held.class, name);
        } catch (TimeoutException e) {
            sem.close();
            throw new SemaphorePermitTimeoutException("no permit of semaphore " + sem.name() + " (" + spec.kind()
                    + ") within " + timeout + " for " + context.getDisplayName()
                    + ": another test, fork or build holds it. See who waits and holds with 'namedsem info "
                    + name + (spec.kind() == io.github.namedsem.SemaphoreKind.CRASH_SAFE ? " --crash-safe" : "")
                    + "'; raise @SemaphorePermit(timeout) if the holders are legitimately slow", e);
        } catch (RuntimeException | InterruptedException e) {
            sem.close();
            throw e;
        }
    }

    private static void giveBack(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        // Only what this very context took: an enclosing context's permit outlives it.
        String name = store.get(Held.class, String.class);
        if (name == null) {
            return;
        }
        Held held = store.get(name, Held.class);
        if (held != null && held.owner().equals(context.getUniqueId())) {
            store.remove(name);
            store.remove(Held.class);
            held.close();
        }
    }

    /** A permit and its handle; closing releases the permit, then closes the handle. */
    private record Held(NamedSemaphore semaphore, Permit permit, String owner) implements AutoCloseable {
        @Override
        public void close() {
            try (semaphore; permit) {
                // try-with-resources closes permit first, then the handle
            }
        }
    }
}
