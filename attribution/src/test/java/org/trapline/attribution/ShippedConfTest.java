package org.trapline.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.trapline.attribution.accounting.AccountingServerSettings;
import org.trapline.attribution.detail.DetailImportSettings;
import org.trapline.attribution.detail.DetailWatchSettings;
import org.trapline.attribution.lookup.LookupSettings;

/** The conf/ a newcomer gets works as documented there. */
class ShippedConfTest {
    static Properties shipped() throws Exception {
        Path file = Path.of(System.getProperty("trapline.repo", "..")).resolve("conf/trapline.properties");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    @Test
    void radiusListensOnLoopbackWithLocalhostAsKnownNasWhoseSecretIsInAFile() throws Exception {
        Properties shipped = shipped();
        assertThat(shipped.stringPropertyNames()).noneMatch(k -> k.endsWith(".secret"));
        assertThat(shipped.getProperty("attribution.radius.client.127.0.0.1.secret-file")).isEqualTo("radius-loopback.secret");
        // The server reads the file into the key the settings know (see the server's Secrets).
        shipped.setProperty("attribution.radius.client.127.0.0.1.secret", "from-the-file");
        AccountingServerSettings s = AccountingServerSettings.from(shipped);
        assertThat(s.bind().getAddress().isLoopbackAddress()).isTrue();
        assertThat(s.bind().getPort()).isEqualTo(1813);
        assertThat(s.clientFor(InetAddress.getByName("127.0.0.1")).secret()).isEqualTo("from-the-file");
        assertThat(s.clientFor(InetAddress.getByName("192.0.2.1"))).isNull();
    }

    @Test
    void lookupDefaultsAndNoWatching() throws Exception {
        LookupSettings l = LookupSettings.from(shipped());
        assertThat(l.subscriberNetworks()).isEmpty();
        assertThat(l.grace().toSeconds()).isEqualTo(900);
        assertThat(l.clockSkew().toSeconds()).isEqualTo(5);
        assertThat(DetailWatchSettings.from(shipped()).enabled()).isFalse();
        assertThat(org.trapline.attribution.journal.JournalSettings.from(shipped()))
                .isEqualTo(org.trapline.attribution.journal.JournalSettings.defaults());
    }

    @Test
    void shippedDetailImportSettingsAreTheDefaults() throws Exception {
        assertThat(DetailImportSettings.from(shipped())).isEqualTo(DetailImportSettings.defaults());
        Properties p = new Properties();
        p.setProperty(DetailImportSettings.BULK_WRITE_ROWS, "0");
        assertThatThrownBy(() -> DetailImportSettings.from(p)).hasMessageContaining(DetailImportSettings.BULK_WRITE_ROWS);
    }

    @Test
    void badValuesNameTheKey() {
        Properties p = new Properties();
        p.setProperty(AccountingServerSettings.BIND, "localhost");
        assertThatThrownBy(() -> AccountingServerSettings.from(p)).hasMessageContaining("HOST:PORT");
        Properties q = new Properties();
        q.setProperty(LookupSettings.SUBSCRIBER_NETWORKS, "100.64.0.0/99");
        assertThatThrownBy(() -> LookupSettings.from(q)).hasMessageContaining(LookupSettings.SUBSCRIBER_NETWORKS);
        Properties r = new Properties();
        r.setProperty("attribution.radius.client.10.0.0.0/8.secret", "");
        assertThatThrownBy(() -> AccountingServerSettings.from(r)).hasMessageContaining("attribution.radius.client.10.0.0.0/8.secret");
    }
}
