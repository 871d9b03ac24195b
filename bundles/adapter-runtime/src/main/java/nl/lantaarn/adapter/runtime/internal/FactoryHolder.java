package nl.lantaarn.adapter.runtime.internal;

import nl.lantaarn.adapter.api.AdapterFactory;
import nl.lantaarn.adapter.api.AdapterType;

/**
 * One registered {@link AdapterFactory} service with what it said about itself when it was registered.
 *
 * @param factory the service object (its identity tells registrations apart)
 * @param type    what {@link AdapterFactory#type()} returned
 * @param bundle  symbolic name and version of the bundle that registered it
 * @param guard   the type's privacy manifest, made ready for the ingestion path once
 */
record FactoryHolder(AdapterFactory factory, AdapterType type, String bundle, ManifestGuard guard) {

    FactoryHolder(AdapterFactory factory, AdapterType type, String bundle) {
        this(factory, type, bundle, ManifestGuard.of(type));
    }
}
