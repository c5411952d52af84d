package io.github.namedsem.cli;

import io.github.namedsem.HolderReport;
import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.SemaphoreHolder;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Give back the permits of holders that died holding them.",
            "",
            "A standard semaphore does not get a permit back when its holder is killed (kill -9, a crash, the"
                    + " OOM killer). 'namedsem run' records itself as a holder, so this can give back exactly the"
                    + " permits of recorded holders that no longer exist, and only those: a process whose pid"
                    + " now belongs to a later process counts as dead; one that /proc does not show for sure,"
                    + " or whose record another user wrote, is left alone. Permits taken by programs that do not"
                    + " record themselves are never touched: for those use 'namedsem release'.",
            "",
            "For a crash-safe semaphore the kernel already gave them back; repair only removes the records."})
final class RepairCommand extends SemaphoreCommand implements Callable<Integer> {
    @Option(names = {"-n", "--dry-run"}, description = "say what would be given back, change nothing")
    boolean dryRun;

    @CommandLine.Mixin
    KindOption kind;

    @Override
    public Integer call() {
        try (NamedSemaphore sem = KindLookup.open(name, kind, SemaphoreOptions.defaults())) {
            boolean returnedByKernel = sem.kind() == SemaphoreKind.CRASH_SAFE;
            if (dryRun) {
                HolderReport report = sem.holders();
                List<SemaphoreHolder> dead = report.holders().stream()
                        .filter(h -> h.state() == SemaphoreHolder.State.DEAD).toList();
                for (SemaphoreHolder h : dead) {
                    out().println(Text.printable((!h.trusted() ? "would leave alone (recorded by another user) "
                            : returnedByKernel ? "would remove the record of " : "would give back ")
                            + HolderText.plural(h.permits()) + " of pid " + h.pid() + describe(h)));
                }
                if (dead.isEmpty()) {
                    out().println("nothing to repair on " + sem.osName() + ": no recorded holder has died");
                }
                return ExitCodes.OK;
            }
            List<SemaphoreHolder> repaired = sem.releaseDeadHolders();
            for (SemaphoreHolder h : repaired) {
                out().println(Text.printable((returnedByKernel ? "removed the record of " : "gave back ")
                        + HolderText.plural(h.permits()) + " of pid " + h.pid() + describe(h)
                        + (returnedByKernel ? " (the kernel had given them back)" : "")));
            }
            out().println(repaired.isEmpty() ? "nothing to repair on " + sem.osName() + ": no recorded holder has died"
                    : sem.osName() + " has " + sem.availablePermits() + " free now");
            return ExitCodes.OK;
        }
    }

    private static String describe(SemaphoreHolder h) {
        return (h.command().isEmpty() ? "" : " (" + h.command() + ")") + ", which no longer exists";
    }
}
