package nl.lantaarn.adapters.ttn.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import nl.lantaarn.adapter.api.AdapterConfiguration;

/** The recorded and simulated uplinks under {@code src/test/resources/ttn-v3}, and the default configuration. */
final class TtnSamples {

    static final String FOLDER = "ttn-v3/";
    static final String DOCS = "tts-docs-uplink.json";
    static final String SOUND = "simulated-sound-elsys-ers-sound.json";
    static final String PEOPLE = "simulated-people-counter-milesight-vs133.json";
    static final String AIR = "simulated-airquality-decentlab-dl-pm.json";
    static final String REAL_SOUND = "uplink-sound-elsys-ers2-sound.json";
    static final String REAL_PEOPLE = "uplink-people-counter-milesight-vs133.json";
    static final String REAL_AIR = "uplink-airquality-pm-decentlab-dl-pm.json";
    static final String REAL_PARKING = "uplink-parking-bosch-pls.json";
    static final String DOWNLINK_ACK = "tts-docs-downlink-ack.json";

    static final String SOUND_TOPIC = "v3/eindhoven-sound@ttn/devices/ers-sound-1/up";
    static final String PEOPLE_TOPIC = "v3/eindhoven-people@ttn/devices/vs133-1/up";
    static final String AIR_TOPIC = "v3/eindhoven-air@ttn/devices/dl-pm-1/up";
    static final String DOCS_TOPIC = "v3/app1@tenant1/devices/dev1/up";
    static final String REAL_TOPIC = "v3/application-tts-name@ttn/devices/eui-1000000000000001/up";

    /** The configuration file shipped in the hub's etc folder, relative to this module. */
    static final Path DEFAULT_CONFIG = Path.of("..", "..", "etc", "nl.lantaarn.adapter.ttn~default.cfg");

    private TtnSamples() {
        throw new AssertionError("no instances");
    }

    static byte[] bytes(String name) {
        try (InputStream in = TtnSamples.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + FOLDER + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /**
     * The properties of {@code etc/nl.lantaarn.adapter.ttn~default.cfg}, read as the hub reads them and handed to the
     * adapter: without the sensor register's {@code register.*} keys, which the adapter runtime keeps for itself.
     */
    static Map<String, Object> defaultProperties() {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(DEFAULT_CONFIG, StandardCharsets.ISO_8859_1)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> map = new HashMap<>();
        properties.forEach((key, value) -> map.put((String) key, value));
        map.keySet().removeIf(key -> key.startsWith("register."));
        return map;
    }

    static AdapterConfiguration defaultConfiguration() {
        return new AdapterConfiguration("ttn", "default", defaultProperties());
    }
}
