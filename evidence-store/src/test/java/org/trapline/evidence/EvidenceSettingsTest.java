package org.trapline.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class EvidenceSettingsTest {
    @Test
    void shippedConfigurationParsesToTheDefaults() throws Exception {
        Properties conf = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(System.getProperty("trapline.repo", ".."), "conf", "trapline.properties"))) {
            conf.load(r);
        }
        assertThat(conf.stringPropertyNames()).contains("evidence.retention.raw-days", "evidence.index.refresh-ms",
                "evidence.index.commit-seconds", "evidence.index.ram-buffer-mb", "evidence.mime.max-text-per-part-kb",
                "evidence.mime.max-text-per-message-kb");
        assertThat(EvidenceSettings.from(conf)).isEqualTo(EvidenceSettings.defaults());
    }

    @Test
    void valuesAreReadAndBadOnesNamed() {
        Properties conf = new Properties();
        conf.setProperty("evidence.retention.raw-days", "90");
        conf.setProperty("evidence.index.refresh-ms", "100");
        EvidenceSettings s = EvidenceSettings.from(conf);
        assertThat(s.rawRetention()).isEqualTo(Duration.ofDays(90));
        assertThat(s.refreshInterval()).isEqualTo(Duration.ofMillis(100));
        conf.setProperty("evidence.index.commit-seconds", "-1");
        assertThatThrownBy(() -> EvidenceSettings.from(conf)).hasMessageContaining("evidence.index.commit-seconds");
    }
}
