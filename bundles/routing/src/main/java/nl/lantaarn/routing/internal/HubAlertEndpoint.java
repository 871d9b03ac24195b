package nl.lantaarn.routing.internal;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code hub:alert?channels=&severity=&title=&dedupWindow=&dedupBy=}: raises alerts; see {@link HubAlertProducer}. */
final class HubAlertEndpoint extends DefaultEndpoint {

    private final List<String> channels;
    private final String severity;
    private final String title;
    private final Duration dedupWindow;
    private final String dedupBy;

    /** De-duplicate per thing ({@code LantaarnThingId} header). */
    static final String BY_THING = "thing";
    /** De-duplicate per zone ({@code zone} header). */
    static final String BY_ZONE = "zone";

    /**
     * @param dedupBy {@link #BY_THING}, {@link #BY_ZONE}, or {@code null}: by thing when the exchange names one, else
     *                by zone
     */
    HubAlertEndpoint(String uri, HubComponent component, List<String> channels, String severity, String title,
            Duration dedupWindow, String dedupBy) {
        super(uri, component);
        this.channels = List.copyOf(channels);
        this.severity = severity;
        this.title = title;
        this.dedupWindow = dedupWindow;
        this.dedupBy = dedupBy;
    }

    @Override
    public HubComponent getComponent() {
        return (HubComponent) super.getComponent();
    }

    List<String> channels() {
        return channels;
    }

    String severity() {
        return severity;
    }

    String title() {
        return title;
    }

    Duration dedupWindow() {
        return dedupWindow;
    }

    /** {@link #BY_THING}, {@link #BY_ZONE}, or {@code null} (thing when set, else zone). */
    String dedupBy() {
        return dedupBy;
    }

    @Override
    public Producer createProducer() {
        return new HubAlertProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " can only be sent to (to:); alerts go out through "
                + "the notification channels");
    }
}
