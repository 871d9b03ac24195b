package nl.lantaarn.adapter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nl.lantaarn.adapter.api.InboundMessage;

class SampleTest {

    @TempDir
    Path folder;

    @Test
    void readsAFolderSortedByName() throws Exception {
        Files.writeString(folder.resolve("b.json"), "{\"b\":1}");
        Files.writeString(folder.resolve("a.json"), "{\"a\":1}");
        Files.writeString(folder.resolve("notes.txt"), "not a sample");
        Files.createDirectory(folder.resolve("c.json"));

        List<Sample> samples = Sample.fromFolder(folder, "*.json", "t/x");

        assertThat(samples).extracting(Sample::name).containsExactly("a.json", "b.json");
        InboundMessage message = samples.get(0).message();
        assertThat(message.origin()).isEqualTo("t/x");
        assertThat(message.payloadAsString()).isEqualTo("{\"a\":1}");
        assertThat(message.receivedAt()).isEqualTo(Sample.RECEIVED_AT);
    }

    @Test
    void anEmptyFolderIsAnError() {
        assertThatThrownBy(() -> Sample.fromFolder(folder, "*.json", "t/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no sample files matching '*.json'");
    }

    @Test
    void messagesDoNotShareThePayload() {
        byte[] bytes = "{}".getBytes(StandardCharsets.UTF_8);
        Sample sample = Sample.of("s", "t/x", bytes, Map.of(InboundMessage.CONTENT_TYPE, "application/json"));
        bytes[0] = 'x';
        sample.message().payload()[1] = 'y';
        assertThat(sample.message().payloadAsString()).isEqualTo("{}");
        assertThat(sample.message().attribute(InboundMessage.CONTENT_TYPE)).isEqualTo("application/json");
    }
}
