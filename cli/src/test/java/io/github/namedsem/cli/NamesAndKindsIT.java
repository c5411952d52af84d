package io.github.namedsem.cli;

import static io.github.namedsem.cli.CliIT.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Names are bytes whatever the locale; every command finds a name's kind the same way. */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NamesAndKindsIT {
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    @Test
    void findJdkWorksWithoutHome() throws Exception {
        CliIT.Result r = Shell.run(Shell.bare(), java.util.List.of("sh", CliIT.root().resolve("bin/find-jdk").toString()));
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        assertThat(r.out()).isNotBlank();
    }

    @Test
    void underLangCANameIsTheSameBytesAsUnderUtf8() throws Exception {
        String name = "caf\u00e9-nscli-" + PID;
        Map<String, String> cron = Shell.bare("LC_ALL", "C"); // no HOME, no JAVA_HOME: as cron and env -i run it
        Map<String, String> utf8 = Shell.bare("LC_ALL", "C.UTF-8");
        try {
            CliIT.Result create = Shell.namedsem(cron, "create", name, "--permits", "2");
            assertThat(create.status()).as(create.err()).isZero();
            assertThat(Shell.sh("test -f \"/dev/shm/sem.caf$(printf '\\303\\251')-nscli-$1\"", PID).status())
                    .as("the file name holds the UTF-8 bytes of the name").isZero();
            assertThat(Shell.namedsem(utf8, "info", name).out()).contains("available: 2");
            CliIT.Result info = Shell.namedsem(cron, "info", name, "--json");
            assertThat(info.status()).as(info.err()).isZero();
            assertThat(info.out()).contains("\"name\":\"" + name + "\"");
            CliIT.Result list = Shell.namedsem(cron, "list", "--json");
            assertThat(list.status()).as(list.err()).isZero();
            assertThat(list.out()).contains("\"name\":\"" + name + "\"").doesNotContain("Malformed");

            CliIT.Result locale = Shell.namedsem(cron, "run", name, "--", "sh", "-c", "echo \"[${LC_ALL-unset}]\"");
            assertThat(locale.out()).as("the command gets the caller's locale back").isEqualTo("[C]\n");
            CliIT.Result unset = Shell.namedsem(Shell.bare(), "run", name, "--", "sh", "-c", "echo \"[${LC_ALL-unset}]\"");
            assertThat(unset.out()).isEqualTo("[unset]\n");
        } finally {
            Shell.namedsem(utf8, "unlink", name, "--force");
        }
    }

    /** A program (here this test, through the library) can still make a name of both kinds: commands say so. */
    @Test
    void aNameOfBothKindsIsSaidToBeBoth() throws Exception {
        String name = "nscli-both-" + PID;
        var crashSafe = io.github.namedsem.SemaphoreOptions.defaults().kind(io.github.namedsem.SemaphoreKind.CRASH_SAFE);
        try {
            assertThat(run("create", name, "--permits", "1").status()).isZero();
            io.github.namedsem.NamedSemaphore.create(name, 1, crashSafe).close();

            CliIT.Result info = run("info", name);
            assertThat(info.status()).isZero();
            assertThat(info.out()).contains("kind:      standard");
            assertThat(info.err()).isEqualTo("namedsem: " + name + " exists as both kinds; this is the standard one"
                    + " (with --crash-safe for the other)\n");
            assertThat(run("doctor").out()).containsPattern("warn +names of both kinds: [^\n]*" + name);

            CliIT.Result unlink = run("unlink", name, "-v");
            assertThat(unlink.out()).isEqualTo("unlinked " + name + "\n");
            assertThat(unlink.err()).contains("a crash-safe semaphore named " + name + " exists too")
                    .contains("'namedsem unlink " + name + " --crash-safe'");
            assertThat(run("info", name).out()).contains("kind:      crash-safe");
        } finally {
            run("unlink", name, "--force");
            run("unlink", name, "--crash-safe", "--force");
        }
    }

    @Test
    void everyCommandFindsACrashSafeNameAndNoNameBecomesBothKinds() throws Exception {
        String name = "nscli-kinds-" + PID;
        try {
            assertThat(run("create", name, "--crash-safe", "--permits", "1").status()).isZero();
            CliIT.Result standard = run("create", name, "--permits", "1");
            assertThat(standard.status()).isEqualTo(1);
            assertThat(standard.err()).startsWith("namedsem: a crash-safe semaphore named " + name + " already exists")
                    .contains("--crash-safe").hasLineCount(1);
            assertThat(run("run", name, "--create", "--", "true").status()).as("uses the crash-safe one").isZero();
            assertThat(run("run", name, "--", "true").status()).isZero();
            CliIT.Result acquire = run("acquire", name);
            assertThat(acquire.status()).isEqualTo(1);
            assertThat(acquire.err()).contains("crash-safe").contains("'namedsem run " + name);
            CliIT.Result release = run("release", name);
            assertThat(release.status()).isEqualTo(1);
            assertThat(release.err()).contains("crash-safe permit must be released by the process that acquired it");
            assertThat(run("info", name).out()).contains("kind:      crash-safe");

            CliIT.Result unlink = run("unlink", name, "-v");
            assertThat(unlink.status()).as(unlink.err()).isZero();
            assertThat(unlink.out()).isEqualTo("unlinked " + name + " (crash-safe)\n");
            assertThat(run("info", name, "--crash-safe").status()).isEqualTo(1);

            assertThat(run("create", name, "--permits", "1").status()).isZero();
            CliIT.Result crashSafe = run("create", name, "--crash-safe", "--permits", "1");
            assertThat(crashSafe.status()).isEqualTo(1);
            assertThat(crashSafe.err()).startsWith("namedsem: a standard semaphore named " + name + " already exists");
        } finally {
            run("unlink", name, "--force");
            run("unlink", name, "--crash-safe", "--force");
        }
    }
}
