package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.util.EnumSet;
import java.util.Set;

/**
 * How every command finds the kind of a NAME, so that {@code info}, {@code run}, {@code acquire},
 * {@code release} and {@code unlink} agree. With {@code --crash-safe} only the crash-safe kind is
 * used. Without it the standard semaphore of that name is used if there is one, else the
 * crash-safe one: a user who created {@code jobs} with {@code --crash-safe} need not repeat the
 * flag on every later command. Creating a name that exists as the other kind is refused, so two
 * unrelated semaphores never share one name by accident.
 */
final class KindLookup {
    private KindLookup() {}

    /** Opens NAME as the kind {@code --crash-safe} asks for, or as whichever kind exists. */
    static NamedSemaphore open(String name, KindOption option) {
        return open(name, option, SemaphoreOptions.defaults());
    }

    /** As {@link #open(String, KindOption)}, with {@code options} for everything but the kind. */
    static NamedSemaphore open(String name, KindOption option, SemaphoreOptions options) {
        if (option.crashSafe) {
            return NamedSemaphore.open(name, options.kind(SemaphoreKind.CRASH_SAFE));
        }
        try {
            return NamedSemaphore.open(name, options.kind(SemaphoreKind.STANDARD));
        } catch (NoSuchSemaphoreException notStandard) {
            if (!exists(name, SemaphoreKind.CRASH_SAFE)) {
                throw notStandard;
            }
            return NamedSemaphore.open(name, options.kind(SemaphoreKind.CRASH_SAFE));
        }
    }

    /** The kinds NAME exists as, for messages and for {@code unlink}; opening is the only reliable test. */
    static Set<SemaphoreKind> kindsOf(String name) {
        Set<SemaphoreKind> kinds = EnumSet.noneOf(SemaphoreKind.class);
        for (SemaphoreKind kind : SemaphoreKind.values()) {
            if (exists(name, kind)) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    /**
     * Whether NAME exists as {@code kind}: true also when it exists but this user may not open it.
     * False where this platform has no such kind (crash-safe on Windows).
     */
    static boolean exists(String name, SemaphoreKind kind) {
        try (NamedSemaphore _ = NamedSemaphore.open(name, SemaphoreOptions.defaults().kind(kind))) {
            return true;
        } catch (NoSuchSemaphoreException | UnsupportedOperationException absent) {
            return false;
        } catch (IllegalArgumentException badName) {
            throw badName;
        } catch (RuntimeException presentButUnusable) {
            return true; // access denied, a damaged file: something holds the name
        }
    }

    /** Before creating NAME as {@code kind}: refuses if the name is taken by the other kind. */
    static void refuseOtherKind(String name, SemaphoreKind kind) {
        for (SemaphoreKind other : SemaphoreKind.values()) {
            if (other != kind && exists(name, other)) {
                throw new NamedSemaphoreException("a " + Inspection.kindName(other) + " semaphore named " + name
                        + " already exists, so a " + Inspection.kindName(kind) + " one of that name would be a"
                        + " second, unrelated semaphore; use the existing one"
                        + (other == SemaphoreKind.CRASH_SAFE ? " (add --crash-safe)" : " (drop --crash-safe)")
                        + ", or remove it first with 'namedsem unlink " + name
                        + (other == SemaphoreKind.CRASH_SAFE ? " --crash-safe'" : "'"), name, null, kind, 17, "EEXIST");
            }
        }
    }
}
