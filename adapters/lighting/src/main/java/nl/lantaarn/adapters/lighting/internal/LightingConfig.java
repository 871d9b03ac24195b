package nl.lantaarn.adapters.lighting.internal;

import java.util.List;
import java.util.regex.Pattern;

import nl.lantaarn.adapter.api.AdapterConfiguration;
import nl.lantaarn.adapter.api.AdapterConfigurationException;

/**
 * The settings of one lighting instance, validated.
 *
 * @param topicRoot    first topic level of the controllers' protocol, e.g. {@code lighting}
 * @param country      ISO 3166 country code of the thing namespace, lower case
 * @param municipality municipality of the thing namespace, lower case
 * @param scenes       the scenes the controllers know; others are refused in states and commands
 * @param qos          MQTT QoS of subscriptions and commands
 */
record LightingConfig(String topicRoot, String country, String municipality, List<String> scenes, int qos) {

    static final String TOPIC_ROOT = "topicRoot";
    static final String COUNTRY = "country";
    static final String MUNICIPALITY = "municipality";
    static final String SCENES = "scenes";
    static final String QOS = "qos";

    static final List<String> DEFAULT_SCENES = List.of("normal", "calm", "bright", "evacuation", "night");

    private static final Pattern TOPIC_LEVEL = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern COUNTRY_CODE = Pattern.compile("[a-z]{2}");
    private static final Pattern MUNICIPALITY_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern SCENE = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /** @throws AdapterConfigurationException naming the first key that is wrong */
    static LightingConfig from(AdapterConfiguration configuration) throws AdapterConfigurationException {
        String root = configuration.string(TOPIC_ROOT, "lighting");
        if (!TOPIC_LEVEL.matcher(root).matches()) {
            throw new AdapterConfigurationException(TOPIC_ROOT, "must be one MQTT topic level of 1-64 letters, "
                    + "digits, '-' or '_', e.g. lighting, was '" + root + "'");
        }
        String country = configuration.string(COUNTRY, "nl");
        if (!COUNTRY_CODE.matcher(country).matches()) {
            throw new AdapterConfigurationException(COUNTRY, "must be a two-letter country code in lower case, e.g. "
                    + "nl, was '" + country + "'");
        }
        String municipality = configuration.string(MUNICIPALITY, "demo");
        if (!MUNICIPALITY_NAME.matcher(municipality).matches()) {
            throw new AdapterConfigurationException(MUNICIPALITY, "must be 1-63 lower-case letters, digits and "
                    + "dashes, e.g. eindhoven, was '" + municipality + "'");
        }
        List<String> scenes = configuration.stringList(SCENES);
        if (scenes.isEmpty()) {
            scenes = DEFAULT_SCENES;
        }
        if (scenes.size() > 64) {
            throw new AdapterConfigurationException(SCENES, "must list at most 64 scenes, was " + scenes.size());
        }
        for (String scene : scenes) {
            if (!SCENE.matcher(scene).matches()) {
                throw new AdapterConfigurationException(SCENES, "scene '" + scene + "' must be 1-32 lower-case "
                        + "letters, digits and dashes, e.g. calm");
            }
        }
        int qos = (int) configuration.integer(QOS, 1, 0, 2);
        return new LightingConfig(root, country, municipality, List.copyOf(scenes), qos);
    }
}
