package nl.lantaarn.mqtt.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerAuthenticatorTest {

    @TempDir
    Path dir;

    @Test
    void readsValidLinesAndSkipsCommentsAndMalformedOnes() throws IOException {
        Path file = dir.resolve("users");
        Files.writeString(file, String.join("\n",
                "# comment",
                "",
                "lamp-1:" + Secrets.sha256Hex("one".toCharArray()),
                "site:b:" + Secrets.sha256Hex("two".toCharArray()).toUpperCase(),
                "no-hash",
                "short:abcd",
                "lantaarn-hub:" + Secrets.sha256Hex("reserved".toCharArray()),
                ""));
        BrokerAuthenticator auth = new BrokerAuthenticator("internal".toCharArray(), file);

        assertThat(auth.fileUserCount()).isEqualTo(2);
        assertThat(auth.checkValid("c1", "lamp-1", bytes("one"))).isTrue();
        assertThat(auth.checkValid("c2", "site:b", bytes("two"))).isTrue();
        assertThat(auth.checkValid("c3", "lamp-1", bytes("two"))).isFalse();
        assertThat(auth.checkValid("c4", "lantaarn-hub", bytes("reserved"))).isFalse();
        assertThat(auth.checkValid("c5", "lantaarn-hub", bytes("internal"))).isTrue();
        assertThat(auth.checkValid("c6", "lamp-1", null)).isFalse();
        assertThat(auth.checkValid("c7", null, bytes("one"))).isFalse();
    }

    @Test
    void aMissingFileLetsOnlyTheInternalUserIn() {
        BrokerAuthenticator auth = new BrokerAuthenticator("internal".toCharArray(), dir.resolve("absent"));

        assertThat(auth.checkValid("c1", "devices", bytes("anything"))).isFalse();
        assertThat(auth.checkValid("c2", "lantaarn-hub", bytes("internal"))).isTrue();
    }

    @Test
    void theInitialFileHoldsOnlyTheHash() {
        String content = BrokerAuthenticator.initialUsersFile("devices", "pw".toCharArray());

        assertThat(content).endsWith("devices:" + Secrets.sha256Hex("pw".toCharArray()) + "\n")
                .doesNotContain(":pw");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
