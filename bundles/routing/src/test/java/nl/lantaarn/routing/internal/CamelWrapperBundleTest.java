package nl.lantaarn.routing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Camel wrapper bundle this bundle is built against has the manifest and resources it needs in OSGi. */
class CamelWrapperBundleTest {

    private static final Pattern CLAUSE = Pattern.compile("([a-zA-Z0-9_.]+)((?:;[^,\"]*(?:\"[^\"]*\")?)*)");

    private static JarFile wrapper;
    private static Attributes manifest;

    @BeforeAll
    static void openWrapper() throws Exception {
        Path jar = Path.of(CamelContext.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        wrapper = new JarFile(jar.toFile());
        manifest = wrapper.getManifest().getMainAttributes();
    }

    @Test
    void isTheProjectsCamelBundle() {
        assertThat(manifest.getValue("Bundle-SymbolicName")).isEqualTo("nl.lantaarn.thirdparty.camel");
    }

    @Test
    void exportsCamelWithItsVersion() {
        List<String> exports = packages(manifest.getValue("Export-Package"));
        assertThat(exports).contains("org.apache.camel", "org.apache.camel.spi", "org.apache.camel.builder",
                "org.apache.camel.support", "org.apache.camel.impl", "org.apache.camel.model",
                "org.apache.camel.dsl.yaml", "org.apache.camel.dsl.yaml.common",
                "org.apache.camel.dsl.yaml.deserializers", "org.apache.camel.component.seda",
                "org.apache.camel.component.timer", "org.apache.camel.component.log");
        assertThat(manifest.getValue("Export-Package")).contains("org.apache.camel;version=\"4.14.4\"");
    }

    @Test
    void importsNoCamelAndRequiresOnlySlf4j() {
        String imports = manifest.getValue("Import-Package");
        List<String> mandatory = new ArrayList<>();
        Matcher m = CLAUSE.matcher(imports);
        while (m.find()) {
            assertThat(m.group(1)).doesNotStartWith("org.apache.camel");
            if (!m.group(2).contains("resolution:=optional")) {
                mandatory.add(m.group(1));
            }
        }
        assertThat(mandatory).containsExactly("org.slf4j");
    }

    @Test
    void mergesTheTypeConverterLoadersOnce() throws Exception {
        String loaders = read("META-INF/services/org/apache/camel/TypeConverterLoader");
        assertThat(loaders.lines().filter(line -> !line.isBlank() && !line.startsWith("#")))
                .containsExactlyInAnyOrder("org.apache.camel.converter.CamelBaseBulkConverterLoader",
                        "org.apache.camel.converter.stream.StreamCacheBulkConverterLoader");
    }

    @Test
    void carriesTheFactoryFinderFiles() {
        for (String file : List.of("component/direct", "component/seda", "component/timer", "component/log",
                "component/bean", "language/simple", "routes-loader/yaml")) {
            assertThat(wrapper.getEntry("META-INF/services/org/apache/camel/" + file)).as(file).isNotNull();
        }
    }

    private static List<String> packages(String header) {
        List<String> result = new ArrayList<>();
        Matcher m = CLAUSE.matcher(header);
        while (m.find()) {
            result.add(m.group(1));
        }
        return result;
    }

    private static String read(String entry) throws Exception {
        try (InputStream in = wrapper.getInputStream(wrapper.getEntry(entry))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
