package nl.lantaarn.routing.internal;

import java.time.Duration;
import java.util.List;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** {@code hub:alert?channels=&severity=&title=&dedupWindow=}: raises alerts; see {@link HubAlertProducer}. */
final class HubAlertEndpoint extends DefaultEndpoint {

    private final List<String> channels;
    private final String severity;
    private final String title;
    private final Duration dedupWindow;

    HubAlertEndpoint(String uri, HubComponent component, List<String> channels, String severity, String title,
            Duration dedupWindow) {
        super(uri, component);
        this.channels = List.copyOf(channels);
        this.severity = severity;
        this.title = title;
        this.dedupWindow = dedupWindow;
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
