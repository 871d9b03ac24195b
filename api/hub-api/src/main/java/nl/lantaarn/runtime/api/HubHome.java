package nl.lantaarn.runtime.api;

import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * The hub's home folder (with etc/, deploy/, routes/, zones/, data/): the framework or system property
 * {@value #PROPERTY}, which the launcher sets; the working directory when it is not set.
 */
public final class HubHome {

    /** Framework or system property naming the home folder. */
    public static final String PROPERTY = "lantaarn.home";

    private HubHome() {
        throw new AssertionError("no instances");
    }

    /** The home folder as this bundle's framework sees it. */
    public static Path of(BundleContext context) {
        return of(context.getProperty(PROPERTY));
    }

    /** The home folder for a property value; blank or {@code null} means the working directory. */
    public static Path of(String value) {
        return Path.of(value == null || value.isBlank() ? System.getProperty("user.dir") : value.trim());
    }
}
