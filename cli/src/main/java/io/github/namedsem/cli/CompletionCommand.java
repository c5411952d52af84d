package io.github.namedsem.cli;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code generate-completion}: picocli's bash/zsh script for the options and commands, and on
 * top of it what picocli cannot know when it writes the script: the names of the semaphores
 * that exist when TAB is pressed, and, after {@code run NAME}, the command to run with its own
 * completion (as after {@code sudo}).
 */
@Command(name = "generate-completion", mixinStandardHelpOptions = true,
        description = {"Print a bash/zsh completion script: source <(namedsem generate-completion)",
            "",
            "It completes commands and options, the names of existing semaphores, and after 'run NAME' the"
                    + " command to run. To keep it: namedsem generate-completion >"
                    + " ~/.local/share/bash-completion/completions/namedsem"})
final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root) + names(root));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** The script's addition, with the commands that take NAME and the options that take a value. */
    static String names(CommandLine root) {
        TreeSet<String> withName = new TreeSet<>();
        TreeSet<String> valued = new TreeSet<>();
        for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
            var spec = sub.getValue().getCommandSpec();
            if (!spec.positionalParameters().isEmpty() && spec.positionalParameters().get(0).paramLabel().equals("NAME")) {
                withName.add(sub.getKey());
            }
            spec.options().stream().filter(o -> o.arity().max() > 0).forEach(o -> valued.addAll(java.util.List.of(o.names())));
        }
        return """

                # Added by namedsem: semaphore names, and after 'run NAME' the command to run.
                _namedsem_names() {
                  local f name
                  for f in /dev/shm/sem.*; do
                    [[ -e $f ]] && printf '%s\\n' "${f#/dev/shm/sem.}"
                  done
                  # crash-safe semaphores: their marker files begin with their names, ended by a NUL
                  for f in /dev/shm/namedsem-sysv-*; do
                    name=
                    [[ -f $f && ! -L $f ]] && { IFS= read -r -d '' -n 255 name < "$f"; [[ -n $name ]]; } && printf '%s\\n' "$name"
                  done
                }

                _namedsem_complete() {
                  local cur=${COMP_WORDS[COMP_CWORD]} sub="" positional=0 i w
                  for ((i = 1; i < COMP_CWORD; i++)); do
                    w=${COMP_WORDS[i]}
                    if [[ -z $sub ]]; then
                      [[ $w == -* ]] || sub=$w
                    elif [[ $w == -- ]]; then
                      :
                    elif [[ $w == -* ]]; then
                      case " VALUED " in *" $w "*) ((i++)) ;; esac
                    else
                      ((positional++))
                      if [[ $sub == run && $positional == 2 ]]; then
                        # COMMAND starts here: complete it as if it stood alone, as sudo does
                        if declare -F _command_offset >/dev/null; then _command_offset "$i"; else
                          COMPREPLY=($(compgen -f -- "$cur")); fi
                        return
                      fi
                    fi
                  done
                  if [[ -n $sub && $cur != -* ]]; then
                    case " WITH_NAME " in *" $sub "*)
                      if ((positional == 0)); then
                        local IFS=$'\\n'
                        COMPREPLY=($(compgen -W "$(_namedsem_names)" -- "$cur"))
                        return
                      elif [[ $sub == run && $positional == 1 ]]; then
                        COMPREPLY=($(compgen -c -- "$cur"))
                        return
                      fi ;;
                    esac
                  fi
                  _complete_namedsem "$@"
                }

                complete -F _namedsem_complete -o default namedsem
                """.replace("VALUED", String.join(" ", valued)).replace("WITH_NAME", String.join(" ", withName));
    }
}
