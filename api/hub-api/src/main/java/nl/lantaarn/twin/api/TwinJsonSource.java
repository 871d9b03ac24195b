package nl.lantaarn.twin.api;

import java.util.function.BiConsumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Every thing as its Ditto JSON text, without parsing it into a Ditto {@code Thing}: for a consumer that reads all
 * things at once, such as the search index when it starts. {@link TwinService#list()} parses each thing when it is
 * read, which for a million things costs several times more. The hub's {@link TwinService} implements this interface
 * too ({@code twin instanceof TwinJsonSource}); a twin service that does not is read through {@code list()}.
 *
 * @since 1.2
 */
@ProviderType
public interface TwinJsonSource {

    /**
     * Hands every thing to {@code sink}, in no particular order, on the caller's thread: its id and its Ditto JSON
     * object as text, including {@code _revision}, {@code _created} and {@code _modified}, each in the state of an
     * acknowledged write. Things changed meanwhile may be handed over in their state before or after the change; a
     * {@link TwinEventListener} registered before the call sees every later change.
     */
    void forEachJson(BiConsumer<String, String> sink);
}
