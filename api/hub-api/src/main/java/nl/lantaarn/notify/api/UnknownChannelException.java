package nl.lantaarn.notify.api;

/** No notification channel has the given name. */
public class UnknownChannelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownChannelException(String channel, java.util.Collection<String> known) {
        super("no notification channel '" + channel + "'; configured channels: " + known);
    }
}
