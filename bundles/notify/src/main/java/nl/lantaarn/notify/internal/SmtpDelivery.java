package nl.lantaarn.notify.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import org.eclipse.angus.mail.smtp.SMTPTransport;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import nl.lantaarn.notify.api.Alert;

/** E-mail over SMTP: subject = the alert's title, text body = the alert JSON. One connection per alert. */
final class SmtpDelivery implements Delivery {

    /** Named explicitly, so that no provider lookup by protocol name is needed. */
    private static final Provider SMTP = new Provider(Provider.Type.TRANSPORT, "smtp", SMTPTransport.class.getName(),
            "Eclipse Foundation", null);

    private final String host;
    private final int port;
    private final InternetAddress from;
    private final InternetAddress[] to;
    private final String username;
    private final char[] password;
    private final Session session;
    private final String target;

    /**
     * @param password {@code null} without authentication; never logged
     */
    SmtpDelivery(String host, int port, String from, List<String> to, String username, char[] password,
            boolean startTls, Duration timeout) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("smtp host is empty; set host=<mail server>");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("smtp port must be 1..65535, was " + port);
        }
        if (to.isEmpty()) {
            throw new IllegalArgumentException("smtp to is empty; set to=<address>[,<address>...]");
        }
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("smtp timeoutSeconds must be at least 1, was " + timeout.toSeconds());
        }
        this.host = host.trim();
        this.port = port;
        this.from = address("from", from);
        this.to = to.stream().map(address -> address("to", address)).toArray(InternetAddress[]::new);
        this.username = username == null || username.isBlank() ? null : username.trim();
        this.password = password;
        this.target = "smtp://" + this.host + ":" + port + " to " + String.join(",", to);
        Properties properties = new Properties();
        String millis = Long.toString(timeout.toMillis());
        properties.setProperty("mail.smtp.connectiontimeout", millis);
        properties.setProperty("mail.smtp.timeout", millis);
        properties.setProperty("mail.smtp.writetimeout", millis);
        properties.setProperty("mail.smtp.auth", Boolean.toString(this.username != null));
        properties.setProperty("mail.smtp.starttls.enable", Boolean.toString(startTls));
        properties.setProperty("mail.smtp.starttls.required", Boolean.toString(startTls));
        try {
            this.session = MailClassLoader.call(() -> Session.getInstance(properties));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start Jakarta Mail: " + e, e);
        }
    }

    private static InternetAddress address(String what, String text) {
        try {
            return new InternetAddress(text == null ? "" : text.trim(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("smtp " + what + " '" + text + "' is not an e-mail address: "
                    + e.getMessage());
        }
    }

    @Override
    public void deliver(Alert alert, byte[] json) throws DeliveryException, InterruptedException {
        try {
            MailClassLoader.call(() -> {
                MimeMessage message = new MimeMessage(session);
                message.setFrom(from);
                message.setRecipients(Message.RecipientType.TO, to);
                message.setSubject(alert.title(), "UTF-8");
                message.setSentDate(new Date());
                message.setHeader(WebhookDelivery.ALERT_ID_HEADER, alert.id());
                message.setText(new String(json, StandardCharsets.UTF_8), "UTF-8");
                message.saveChanges();
                try (Transport transport = session.getTransport(SMTP)) {
                    transport.connect(host, port, username, password == null ? null : new String(password));
                    transport.sendMessage(message, message.getAllRecipients());
                }
                return null;
            });
        } catch (MessagingException e) {
            throw new DeliveryException("sending to " + target + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DeliveryException("sending to " + target + " failed: " + e, e);
        }
    }

    @Override
    public String target() {
        return target;
    }
}
