package io.github.namedsem.cli;

import static io.github.namedsem.cli.CliIT.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** 'namedsem doctor' on this very machine: every check answers, in one line each (DoctorTest checks each verdict). */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DoctorIT {
    @Test
    void doctorAnswersEveryCheckOnThisMachine() throws Exception {
        CliIT.Result doctor = run("doctor");
        assertThat(doctor.err()).isEmpty();
        assertThat(doctor.status()).as(doctor.out()).isZero(); // this machine has a usable /dev/shm
        assertThat(doctor.out().lines()).hasSize(7).allMatch(l -> l.matches("(ok|info|warn) +\\S.*: .+"));
        assertThat(doctor.out()).contains("/dev/shm: mounted (tmpfs)").contains("IPC namespace: ").contains("umask: ")
                .contains("RemoveIPC: ").contains("vm.max_map_count: ").contains("temporary files: ")
                .contains("names of both kinds: ");
    }
}
