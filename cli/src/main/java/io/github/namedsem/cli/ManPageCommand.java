package io.github.namedsem.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code generate-man-page}: namedsem(1) in roff, made from picocli's help of every command, so
 * that the man page says exactly what {@code --help} says. The build writes it to
 * {@code cli/target/namedsem.1}.
 */
@Command(name = "generate-man-page", mixinStandardHelpOptions = true,
        description = {"Print the namedsem(1) man page (roff), made from the help of every command.",
            "",
            "To install it: namedsem generate-man-page > ~/.local/share/man/man1/namedsem.1"})
final class ManPageCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine root = spec.root().commandLine();
        PrintWriter out = spec.commandLine().getOut();
        String version = new Version().getVersion()[0];
        out.println(".TH NAMEDSEM 1 \"\" \"" + escape(version) + "\" \"User Commands\"");
        out.println(".SH NAME");
        out.println("namedsem \\- " + escape(String.join(" ", root.getCommandSpec().usageMessage().header())));
        out.println(".SH SYNOPSIS AND DESCRIPTION");
        preformatted(out, root.getUsageMessage(CommandLine.Help.Ansi.OFF));
        out.println(".SH COMMANDS");
        for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
            if (sub.getValue().getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            out.println(".SS namedsem " + escape(sub.getKey()));
            preformatted(out, sub.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Help text as it is laid out for a terminal, kept as it is by roff. */
    private static void preformatted(PrintWriter out, String text) {
        out.println(".nf");
        text.lines().forEach(line -> out.println(line.isEmpty() ? "" : "\\&" + escape(line)));
        out.println(".fi");
    }

    /** A backslash is roff's escape character; the \& before each line keeps a leading . or ' text. */
    static String escape(String text) {
        return text.replace("\\", "\\e");
    }
}
