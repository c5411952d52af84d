package io.github.namedsem.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code namedsem} command. */
@Command(name = "namedsem",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        versionProvider = Version.class,
        synopsisSubcommandLabel = "COMMAND",
        header = "Create, inspect and use named semaphores shared by processes in any language.",
        description = {
            "",
            "A named semaphore lives in the operating system (a POSIX named semaphore on Linux, a semaphore"
                    + " object on Windows), so shells, Java, C, C++, Python and .NET programs on this machine"
                    + " share it by name. 'namedsem run' lets at most N commands run at once across"
                    + " unrelated shells and build steps.",
            "",
            "Names: 'jobs' and '/jobs' are the same semaphore (/dev/shm/sem.jobs on Linux); 1 to 251"
                    + " bytes of UTF-8, no further '/', no '\\'.",
            ""},
        commandListHeading = "%nCommands:%n",
        subcommands = {
            CreateCommand.class, AcquireCommand.class, ReleaseCommand.class, InfoCommand.class,
            ListCommand.class, UnlinkCommand.class, RunCommand.class, RepairCommand.class, DoctorCommand.class,
            DemoCommand.class, DemoWorkerCommand.class, CompletionCommand.class, ManPageCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:success",
            " 1:the operation failed (no such semaphore, access denied, limit exceeded, ...)",
            " 2:usage error (unknown option, bad name, number or duration); nothing was changed",
            "75:no permit came in time (-w/--timeout, -n); -E sets another status",
            "126:'run': COMMAND cannot be executed (no permit was taken)",
            "127:'run': COMMAND not found (no permit was taken)",
            "  :'run' otherwise exits with its command's status"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  namedsem create jobs --permits 2",
            "  namedsem run jobs make -j4         # at most 2 at once, machine-wide",
            "  namedsem run -w 30 jobs ./step.sh  # give up after 30 s (exit status 75)",
            "  namedsem info jobs --json",
            "",
            "Shell completion: source <(namedsem generate-completion)"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Builds the command line with namedsem's error handling, for main and for tests. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, commandLine.getErr()));
        cli.setParameterExceptionHandler((e, args) -> usageError(e.getMessage(),
                e.getCommandLine().getCommandSpec().qualifiedName(), e.getCommandLine().getErr()));
        return cli;
    }

    /** One line for an exception that ended a command, and the exit status for it. */
    static int failed(Exception e, PrintWriter err) {
        err.println(CliErrors.oneLine(e));
        err.flush();
        // A bad name or count is the command line's fault, found before anything happened.
        return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.ERROR;
    }

    /** One line for a wrong command line, pointing to the help, and the exit status for it. */
    static int usageError(String message, String command, PrintWriter err) {
        err.println("namedsem: " + message + " (see '" + command + " --help')");
        err.flush();
        return ExitCodes.USAGE;
    }

    public static void main(String[] args) {
        System.exit(args.length > 0 && args[0].equals("run") ? run(args) : commandLine().execute(args));
    }

    /** {@code run} without building picocli's model, unless help is asked for; see {@link RunArguments}. */
    static int run(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        RunCommand run;
        try {
            run = RunArguments.parse(java.util.List.of(args).subList(1, args.length));
        } catch (RunArguments.UsageException e) {
            return usageError(e.getMessage(), "namedsem run", err);
        }
        if (run == null) {
            return commandLine().execute(args);
        }
        try {
            return run.call();
        } catch (Exception e) {
            return failed(e, err);
        }
    }
}
