/**
 * The adapter test kit: JUnit 5 conformance checks for adapters. An adapter's test extends
 * {@link nl.lantaarn.adapter.testkit.AdapterConformanceTest} and returns its factory and a few recorded payloads as
 * {@link nl.lantaarn.adapter.testkit.Sample}s.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.adapter.testkit;
