/**
 * The hub's model conventions on Eclipse Ditto's thing types.
 * <p>
 * Entry points: {@link nl.lantaarn.things.model.HubConventions} validates a thing against the conventions and builds
 * conforming ids and locations; {@link nl.lantaarn.things.model.ThingUpdate} is what adapters emit;
 * {@link nl.lantaarn.things.model.FeatureDefinitions} names the city capabilities;
 * {@link nl.lantaarn.things.model.SensorRegister} the public sensor register's fields. This package does not log and has
 * no OSGi or Camel dependency.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package nl.lantaarn.things.model;
