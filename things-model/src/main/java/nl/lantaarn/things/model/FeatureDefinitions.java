package nl.lantaarn.things.model;

import org.eclipse.ditto.things.model.FeatureDefinition;
import org.eclipse.ditto.things.model.ThingsModelFactory;

/**
 * Feature definitions of the city capabilities. Their semantics follow the FIWARE Smart Data Models of the same name;
 * the identifier is {@code <namespace>:<name>:<version>} as Ditto requires.
 */
public final class FeatureDefinitions {

    /** Sound level: {@code laeq} in dB(A), {@code measuredAt}. FIWARE NoiseLevelObserved. */
    public static final String NOISE_LEVEL_OBSERVED = "org.fiware.smartdatamodels:NoiseLevelObserved:1.0.0";
    /** People counts and density. FIWARE CrowdFlowObserved. */
    public static final String CROWD_FLOW_OBSERVED = "org.fiware.smartdatamodels:CrowdFlowObserved:1.0.0";
    /** Street light: dim level, power state, scene. FIWARE Streetlight. */
    public static final String STREETLIGHT = "org.fiware.smartdatamodels:Streetlight:1.0.0";
    /** Traffic counts and speeds. FIWARE TrafficFlowObserved. */
    public static final String TRAFFIC_FLOW_OBSERVED = "org.fiware.smartdatamodels:TrafficFlowObserved:1.0.0";
    /** Air quality. FIWARE AirQualityObserved. */
    public static final String AIR_QUALITY_OBSERVED = "org.fiware.smartdatamodels:AirQualityObserved:1.0.0";
    /** Citizen reports. FIWARE IssueReporting. */
    public static final String ISSUE_REPORTING = "org.fiware.smartdatamodels:IssueReporting:1.0.0";

    private FeatureDefinitions() {
        throw new AssertionError("no instances");
    }

    /** The Ditto feature definition for one of the identifiers above. */
    public static FeatureDefinition of(String identifier) {
        return ThingsModelFactory.newFeatureDefinitionBuilder(identifier).build();
    }
}
