package io.github.namedsem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunArgumentsTest {

    private static RunCommand parse(String... args) throws RunArguments.UsageException {
        return RunArguments.parse(List.of(args));
    }

    @Test
    void theLeanParserKnowsExactlyTheOptionsPicocliDeclaresForRun() {
        Map<String, Boolean> declared = new TreeMap<>();
        for (CommandLine.Model.OptionSpec option : new CommandLine(new RunCommand()).getCommandSpec().options()) {
            for (String name : option.names()) {
                declared.put(name, option.arity().max() > 0);
            }
        }
        assertThat(new TreeMap<>(RunArguments.TAKES_VALUE)).isEqualTo(declared);
    }

    @Test
    void optionsEndAtTheCommandSoDashDashIsOptional() throws Exception {
        RunCommand run = parse("jobs", "ls", "-d", "/tmp");
        assertThat(run.name).isEqualTo("jobs");
        assertThat(run.command).containsExactly("ls", "-d", "/tmp");
        assertThat(parse("jobs", "sh", "-c", "x", "--create").create).as("--create after COMMAND is COMMAND's").isFalse();
        assertThat(parse("jobs", "--", "--create").command).containsExactly("--create");
        assertThat(parse("jobs", "--", "--", "x").command).containsExactly("--", "x");
    }

    @Test
    void optionsMayStandBeforeAndAfterTheName() throws Exception {
        RunCommand run = parse("--create", "jobs", "--permits", "3", "-w", "1m30s", "-E", "9", "--crash-safe", "-qv", "--", "make");
        assertThat(run.create).isTrue();
        assertThat(run.permits).isEqualTo(3);
        assertThat(run.waitOptions.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(run.waitOptions.conflictExitCode).isEqualTo(9);
        assertThat(run.kind.crashSafe).isTrue();
        assertThat(run.waitOptions.quiet).isTrue();
        assertThat(run.verbose.verbose).isTrue();
        assertThat(run.command).containsExactly("make");
    }

    @Test
    void valuesAttachAsPicocliAllows() throws Exception {
        assertThat(parse("j", "-w5", "x").waitOptions.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(parse("j", "-w=0.5", "x").waitOptions.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(parse("j", "--timeout=PT2S", "x").waitOptions.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(parse("j", "-qw", "7", "x").waitOptions.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(parse("j", "-n", "x").waitOptions.timeout()).isZero();
        assertThat(parse("j", "x").waitOptions.conflictExitCode).isEqualTo(75);
    }

    @Test
    void helpAndVersionAreLeftToPicocli() throws Exception {
        assertThat(parse("--help")).isNull();
        assertThat(parse("jobs", "-h", "x")).isNull();
        assertThat(parse("-V")).isNull();
    }

    @Test
    void mistakesAreWordedAsPicocliWordsThem() throws Exception {
        assertThatThrownBy(() -> parse("jobs", "--bogus", "x")).hasMessage("Unknown option: '--bogus'");
        assertThatThrownBy(() -> parse("jobs", "-x", "y")).hasMessage("Unknown option: '-x'");
        assertThatThrownBy(() -> parse("jobs", "-nx", "y")).hasMessage("Unknown option: '-x' in '-nx'");
        assertThatThrownBy(() -> parse("jobs")).hasMessage("Missing required parameter: 'COMMAND'");
        assertThatThrownBy(() -> parse()).hasMessage("Missing required parameters: 'NAME', 'COMMAND'");
        assertThat(parse("jobs", "x", "-w").command).as("-w after COMMAND is COMMAND's").containsExactly("x", "-w");
        assertThatThrownBy(() -> parse("jobs", "-w")).hasMessage("Missing required parameter for option '-w'");
        assertThatThrownBy(() -> parse("jobs", "--permits", "two", "x"))
                .hasMessage("Invalid value for option '--permits': 'two' is not an int");
        assertThatThrownBy(() -> parse("jobs", "-w", "5x", "x")).hasMessageStartingWith("Invalid value for option '-w': invalid duration '5x'");
        assertThatThrownBy(() -> parse("jobs", "--create=yes", "x"))
                .hasMessage("option '--create' should be specified without 'yes' parameter");
    }
}
