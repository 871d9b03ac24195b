/**
 * Helpers shared by the adapter bundles: {@link nl.lantaarn.adapter.support.ConfigReaders} for the settings every
 * adapter has, {@link nl.lantaarn.adapter.support.TopicFilter} for the sensor named by an MQTT topic,
 * {@link nl.lantaarn.adapter.support.JsonFields} for nested JSON fields named by their path, and a few smaller ones.
 * <p>
 * Not an API: each adapter bundle copies this package into itself with bnd's {@code -conditionalpackage}, so the
 * package is never exported nor imported and an adapter keeps working whatever version another adapter embeds.
 */
package nl.lantaarn.adapter.support;
