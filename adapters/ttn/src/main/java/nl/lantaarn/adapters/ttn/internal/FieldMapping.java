package nl.lantaarn.adapters.ttn.internal;

import java.util.List;
import java.util.Optional;

/**
 * One configured mapping of a decoded-payload field to a feature property:
 * {@code mapping.<application>.<decodedField> = <domain>:<feature>.<property>[:<unit>]}.
 *
 * @param key      the configuration key, for messages
 * @param field    the decoded field as written in the key, e.g. {@code soundAvg} or {@code pm2_5/value}
 * @param path     the field's path into {@code decoded_payload}: its {@code /}-separated segments
 * @param domain   the thing's domain, the last part of its namespace
 * @param feature  the feature id
 * @param property the property name within the feature
 * @param unit     the unit written to the feature's {@code units}, when given
 */
record FieldMapping(String key, String field, List<String> path, String domain, String feature, String property,
        Optional<String> unit) {
}
