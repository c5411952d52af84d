package io.github.namedsem.cli;

import static io.github.namedsem.cli.CliIT.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** 'list' over a /dev/shm that other users have filled with things that are not semaphores. */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ListIT {
    @Test
    void listReportsEachBadEntryInItsOwnEntryAndGoesOn() throws Exception {
        String id = "nscli-junk-" + ProcessHandle.current().pid();
        String good = id + "-good";
        Path shm = Path.of("/dev/shm");
        Path empty = shm.resolve("sem." + id + "-empty");
        Path backslash = shm.resolve("sem." + id + "\\x");
        Path link = shm.resolve("sem." + id + "-link");
        Path target = Files.createTempFile("nscli-target", "");
        Path junkMarker = shm.resolve("namedsem-sysv-" + id + "-junk");
        Path escapeMarker = shm.resolve("namedsem-sysv-" + id + "-esc");
        Path fifoMarker = shm.resolve("namedsem-sysv-" + id + "-fifo");
        String nonUtf8 = "/dev/shm/sem." + id + "-bad";
        try {
            assertThat(run("create", good, "--permits", "2").status()).isZero();
            Files.createFile(empty);
            Files.write(backslash, new byte[32]);
            Files.write(target, new byte[32]);
            var nobody = target.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.getFileAttributeView(target, PosixFileAttributeView.class).setOwner(nobody);
            Files.createSymbolicLink(link, target);
            Files.write(junkMarker, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
            Files.writeString(escapeMarker, id + "\u001b[2J");
            assertThat(Shell.sh("mkfifo \"$1\" && printf 'x' > \"$2$(printf '\\377')\"", fifoMarker.toString(), nonUtf8).status()).isZero();

            CliIT.Result json = run("list", "--json");
            assertThat(json.status()).as(json.err()).isZero();
            assertThat(json.err()).isEmpty();
            assertThat(Shell.isJson(json.out())).as(json.out()).isTrue();
            assertThat(json.out())
                    .contains("{\"name\":\"" + good + "\",\"osName\":\"/" + good + "\",\"kind\":\"standard\",\"available\":2")
                    .containsPattern("\"name\":\"" + id + "-empty\",[^}]*\"error\":\"the file has 0 bytes")
                    .containsPattern("\"name\":\"" + id + "\\\\\\\\x\",[^}]*\"error\":\"not a valid name")
                    .containsPattern("\"name\":\"" + id + "-link\",[^}]*\"owner\":\"" + System.getProperty("user.name")
                            + "\",[^}]*\"error\":\"a symbolic link")
                    .containsPattern("\"name\":\"" + id + "-bad\uFFFD\",[^}]*\"error\":\"the file name is not UTF-8")
                    .containsPattern("\"name\":\"namedsem-sysv-" + id + "-junk\",[^}]*\"error\":\"bad marker [^\"]*: does not hold a UTF-8 name")
                    .containsPattern("\"name\":\"namedsem-sysv-" + id + "-fifo\",[^}]*\"error\":\"bad marker [^\"]*: not a regular file")
                    .contains("\"name\":\"" + id + "\\u001b[2J\"")
                    .doesNotContain("\"owner\":\"nobody\"");

            CliIT.Result text = run("list");
            assertThat(text.status()).as(text.err()).isZero();
            assertThat(text.out()).doesNotContain("\u001b").contains(id + "\\x1b[2J")
                    .containsPattern(id + "-empty +standard +- +- +\\S+ +\\S+ +error: the file has 0 bytes");
        } finally {
            run("unlink", good);
            for (Path p : new Path[] {empty, backslash, link, target, junkMarker, escapeMarker, fifoMarker}) {
                Files.deleteIfExists(p);
            }
            Shell.sh("rm -f \"$1$(printf '\\377')\"", nonUtf8);
        }
    }
}
