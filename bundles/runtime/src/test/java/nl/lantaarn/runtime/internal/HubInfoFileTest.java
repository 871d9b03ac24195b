package nl.lantaarn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubInfoFileTest {

    @TempDir
    Path home;

    @Test
    void writesPropertiesUnderDataRun() throws Exception {
        HubInfoFile file = new HubInfoFile(home);

        file.write(Map.of("pid", "42", "http.port", "8080", "mqtt.port", "1884"));

        assertThat(file.path()).isEqualTo(home.resolve("data/run/hub.properties"));
        Properties read = new Properties();
        try (Reader in = Files.newBufferedReader(file.path())) {
            read.load(in);
        }
        assertThat(read).containsEntry("pid", "42").containsEntry("http.port", "8080")
                .containsEntry("mqtt.port", "1884");
        try (var files = Files.list(file.path().getParent())) {
            assertThat(files).containsExactly(file.path());
        }
    }

    @Test
    void deletesOnlyItsOwnFile() throws Exception {
        HubInfoFile file = new HubInfoFile(home);
        file.write(Map.of("pid", "42"));

        assertThat(file.deleteIfOwnedBy(7)).isFalse();
        assertThat(file.path()).exists();
        assertThat(file.deleteIfOwnedBy(42)).isTrue();
        assertThat(file.path()).doesNotExist();
        assertThat(file.deleteIfOwnedBy(42)).isFalse();
    }
}
