/**
 * The twin store SPI: what a storage backend implements so that the twin service keeps its things there.
 * <p>
 * Entry point: {@link nl.lantaarn.twin.spi.TwinStore}, registered as an OSGi service. The embedded store (H2 MVStore,
 * in the twin bundle) is the default; a database backend is another bundle that registers its own
 * {@code TwinStore}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package nl.lantaarn.twin.spi;
