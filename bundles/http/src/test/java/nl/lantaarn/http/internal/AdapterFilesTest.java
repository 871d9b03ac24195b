package nl.lantaarn.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterFilesTest {

    @TempDir
    Path home;

    @Test
    void valuesReadBackAsWrittenInThePropertiesSyntax() throws Exception {
        for (String value : List.of("plain", " leading space", "\ttab first", "back\\slash", "a=b:c #d !e",
                "\u00e9\u00e9n \u2603", "${lantaarn.home}/x", "", "trailing ")) {
            Properties properties = new Properties();
            properties.load(new StringReader("key = " + AdapterFiles.escape(value) + "\n"));
            assertThat(properties.getProperty("key")).as(value).isEqualTo(value);
            assertThat(AdapterFiles.escape(value)).matches("[\\x20-\\x7e]*");
        }
    }

    @Test
    void instanceIdsSplitIntoTypeAndName() throws Exception {
        assertThat(AdapterFiles.instance("ttn")).isEqualTo(new AdapterFiles.Instance("ttn", "default"));
        assertThat(AdapterFiles.instance("ttn.eindhoven").fileName())
                .isEqualTo("nl.lantaarn.adapter.ttn~eindhoven.cfg");
        assertThat(AdapterFiles.instance("ttn.default").id()).isEqualTo("ttn");
        for (String bad : List.of("", "ttn.", ".x", "Ttn", "ttn.a.b", "ttn~x", "../etc")) {
            assertThatThrownBy(() -> AdapterFiles.instance(bad)).as(bad).isInstanceOf(AdapterFiles.Refused.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void tellsFileInstallLocationsInDeployFromOthers() {
        AdapterFiles files = new AdapterFiles(home, name -> List.of());
        assertThat(files.inDeploy(home.resolve("deploy/x.jar").toUri().toString())).isTrue();
        assertThat(files.inDeploy(home.resolve("deploy/x.jar").toFile().toURI().toString())).isTrue();
        assertThat(files.inDeploy("reference:" + home.resolve("deploy/x.jar").toUri())).isTrue();
        assertThat(files.inDeploy(home.resolve("bundles/x.jar").toUri().toString())).isFalse();
        assertThat(files.inDeploy("jar:file:/opt/lantaarn.jar!/jar/nl.lantaarn.twin.jar")).isFalse();
        assertThat(files.inDeploy("System Bundle")).isFalse();
        assertThat(files.inDeploy(null)).isFalse();
    }
}
