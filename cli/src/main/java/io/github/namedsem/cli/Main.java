package io.github.namedsem.cli;

import java.io.PrintWriter;
import picocli.AutoComplete;
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
            ListCommand.class, UnlinkCommand.class, RunCommand.class, RepairCommand.class, DoctorCommand.class, DemoCommand.class, DemoWorkerCommand.class,
            AutoComplete.GenerateCompletion.class, CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:success",
            " 1:the operation failed (no such semaphore, access denied, limit exceeded, ...)",
            " 2:usage error (unknown option, bad name, number or duration); nothing was changed",
            "75:timed out waiting for a permit (--timeout)",
            "  :'run' otherwise exits with its command's status"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  namedsem create jobs --permits 2",
            "  namedsem run jobs -- make -j4      # at most 2 at once, machine-wide",
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
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(CliErrors.oneLine(e));
            commandLine.getErr().flush();
            // A bad name or count is the command line's fault, found before anything happened.
            return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.ERROR;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            PrintWriter err = failed.getErr();
            err.println("namedsem: " + e.getMessage() + " (see '" + failed.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return ExitCodes.USAGE;
        });
        // GenerateCompletion prints a script; it should not be offered as a normal command in
        // completion of its own output, but it stays listed in help so users find it.
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage()
                .description("Print a bash/zsh completion script: source <(namedsem generate-completion)");
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
