package nl.lantaarn.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;

import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;

/** What a configuration change records: the file and which keys changed, never a value. */
class ConfigurationAuditTest {

    private static Dictionary<String, Object> properties(String... keysAndValues) {
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int index = 0; index < keysAndValues.length; index += 2) {
            properties.put(keysAndValues[index], keysAndValues[index + 1]);
        }
        return properties;
    }

    @Test
    void anUpdateNamesTheKeysThatChangedButNoValue() {
        ConfigurationAudit.Snapshot before = ConfigurationAudit.snapshot(properties("service.pid",
                "nl.lantaarn.notify.smtp-city", "felix.fileinstall.filename",
                "file:/srv/lantaarn/etc/nl.lantaarn.notify.smtp-city.cfg", "host", "smtp.example", "password",
                "old-secret", "port", "25"));
        ConfigurationAudit.Snapshot after = ConfigurationAudit.snapshot(properties("service.pid",
                "nl.lantaarn.notify.smtp-city", "felix.fileinstall.filename",
                "file:/srv/lantaarn/etc/nl.lantaarn.notify.smtp-city.cfg", "host", "smtp.example", "password",
                "new-secret", "from", "hub@example"));

        AuditEntry entry = ConfigurationAudit.entry("nl.lantaarn.notify.smtp-city", null, before, after);

        assertThat(entry.kind()).isEqualTo(AuditKind.CONFIGURATION_CHANGE);
        assertThat(entry.actor()).isEqualTo("operator");
        assertThat(entry.resource()).isEqualTo("etc/nl.lantaarn.notify.smtp-city.cfg");
        assertThat(entry.outcome()).isEqualTo("updated");
        assertThat(entry.detail()).isEqualTo("configuration nl.lantaarn.notify.smtp-city updated; changed: password; "
                + "added: from; removed: port");
        assertThat(entry.toString()).doesNotContain("secret").doesNotContain("hub@example").doesNotContain("25");
    }

    @Test
    void anApiClientAddedAndRevokedIsNamedWithoutItsKeyHash() {
        ConfigurationAudit.Snapshot client = ConfigurationAudit.snapshot(properties("service.pid",
                "nl.lantaarn.http.client~wijkapp", "service.factoryPid", "nl.lantaarn.http.client",
                "felix.fileinstall.filename", "file:/h/etc/nl.lantaarn.http.client-wijkapp.cfg", "name", "wijkapp",
                "roles", "reader", "keyHash", "sha256:0123456789abcdef"));

        AuditEntry added = ConfigurationAudit.entry("nl.lantaarn.http.client~wijkapp", "nl.lantaarn.http.client",
                null, client);
        assertThat(added.outcome()).isEqualTo("created");
        assertThat(added.detail()).startsWith("API client 'wijkapp' added; configuration ")
                .contains("keyHash, name, roles").doesNotContain("sha256");
        assertThat(added.resource()).isEqualTo("etc/nl.lantaarn.http.client-wijkapp.cfg");

        AuditEntry revoked = ConfigurationAudit.entry("nl.lantaarn.http.client~wijkapp", "nl.lantaarn.http.client",
                client, null);
        assertThat(revoked.outcome()).isEqualTo("deleted");
        assertThat(revoked.detail()).startsWith("API client 'wijkapp' revoked;");
    }
}
