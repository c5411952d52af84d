package io.github.namedsem.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.apache.zookeeper.common.PathUtils;
import org.junit.jupiter.api.Test;

/** The znode name of a semaphore name: readable, accepted by ZooKeeper, and reversible. */
class ZnodeNamesTest {

    @Test
    void encodesOnlyWhatZooKeeperRefusesAndThePercentSign() {
        assertThat(ZnodeNames.encode("gpu")).isEqualTo("gpu");
        assertThat(ZnodeNames.encode("jobs-2.batch_x y")).isEqualTo("jobs-2.batch_x y");
        assertThat(ZnodeNames.encode("büro ✓")).isEqualTo("büro ✓");
        assertThat(ZnodeNames.encode("50%")).isEqualTo("50%25");
        assertThat(ZnodeNames.encode("a\u0007b")).isEqualTo("a%07b");
        assertThat(ZnodeNames.encode("a/b")).isEqualTo("a%2Fb");
        assertThat(ZnodeNames.encode("😀")).isEqualTo("%F0%9F%98%80");
        assertThat(ZnodeNames.encode("\uE000\uFFF5\u0085")).isEqualTo("%EE%80%80%EF%BF%B5%C2%85");
    }

    @Test
    void everyEncodedNameIsAValidZnodeAndDecodesBack() {
        Random random = new Random(14);
        for (int i = 0; i < 5000; i++) {
            StringBuilder name = new StringBuilder();
            int length = 1 + random.nextInt(12);
            while (name.length() < length) {
                int cp = switch (random.nextInt(4)) {
                    case 0 -> 0x20 + random.nextInt(0x60);
                    case 1 -> random.nextInt(0x200);
                    case 2 -> random.nextInt(0x10000);
                    default -> random.nextInt(Character.MAX_CODE_POINT + 1);
                };
                if (!Character.isSurrogate((char) cp) || cp > 0xFFFF) {
                    name.appendCodePoint(cp);
                }
            }
            String original = name.toString();
            String encoded = ZnodeNames.encode(original);
            if (!encoded.equals(".") && !encoded.equals("..")) {
                PathUtils.validatePath("/" + encoded);
            }
            assertThat(ZnodeNames.decode(encoded)).isEqualTo(original);
        }
    }

    @Test
    void aZnodeNameNamedsemDidNotMakeIsRefused() {
        assertThatThrownBy(() -> ZnodeNames.decode("50%zz")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hex digits");
    }
}
