package io.github.namedsem.junit;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreOptions;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * Creates, injects and removes the semaphores of {@link TempSemaphore}. Registered by the
 * annotation; there is no need to name it in {@code @ExtendWith}.
 */
public final class TempSemaphoreExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(TempSemaphoreExtension.class);
    private static final AtomicLong COUNTER = new AtomicLong();
    // Random per JVM: a PID reused by a later fork must not meet an unlink-less leftover.
    private static final String JVM_TAG = HexFormat.of().toHexDigits(new SecureRandom().nextInt());

    /** Creates the extension; JUnit does this. */
    public TempSemaphoreExtension() {}

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        injectFields(context, null, Modifier::isStatic);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(context, instance, m -> !Modifier.isStatic(m));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        removeCreated(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        removeCreated(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(TempSemaphore.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() != NamedSemaphore.class) {
            throw new ExtensionConfigurationException("@TempSemaphore goes on a NamedSemaphore parameter, not on "
                    + parameter.getParameter() + " of type " + parameter.getParameter().getType().getName());
        }
        return create(context, parameter.findAnnotation(TempSemaphore.class).orElseThrow());
    }

    private static void injectFields(ExtensionContext context, Object instance, Predicate<Integer> modifiers)
            throws IllegalAccessException {
        Class<?> type = instance == null ? context.getRequiredTestClass() : instance.getClass();
        List<Field> fields = AnnotationSupport.findAnnotatedFields(type, TempSemaphore.class,
                f -> modifiers.test(f.getModifiers()), HierarchyTraversalMode.TOP_DOWN);
        for (Field field : fields) {
            if (field.getType() != NamedSemaphore.class || Modifier.isFinal(field.getModifiers())) {
                throw new ExtensionConfigurationException("@TempSemaphore goes on a non-final field of type"
                        + " NamedSemaphore, not on " + field);
            }
            field.setAccessible(true); // like @TempDir, private fields are fine
            field.set(instance, create(context, field.getAnnotation(TempSemaphore.class)));
        }
    }

    private static NamedSemaphore create(ExtensionContext context, TempSemaphore spec) {
        int max = spec.maxPermits() == -1 ? Math.max(1, spec.permits()) : spec.maxPermits();
        String name = "junit-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + JVM_TAG;
        NamedSemaphore sem = NamedSemaphore.create(name, spec.permits(), max,
                SemaphoreOptions.defaults().kind(spec.kind()));
        created(context).add(sem);
        return sem;
    }

    @SuppressWarnings("unchecked")
    private static List<NamedSemaphore> created(ExtensionContext context) {
        // Per context (not searched in parents): each context removes exactly what it made.
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(context.getUniqueId(), k -> new ArrayList<>(), List.class);
    }

    private static void removeCreated(ExtensionContext context) {
        List<NamedSemaphore> list = created(context);
        RuntimeException failure = null;
        for (NamedSemaphore sem : list) {
            try (sem) {
                sem.unlink();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        list.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
