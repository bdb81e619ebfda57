package org.trapline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.trapline.common.net.IpAddress;

/** The trusted proxy's settings: off unless a header is named, and only ever loopback peers. */
class DeskSettingsTest {
    static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void theTrustedProxyIsOffByDefaultAndTakesLoopbackPeersOnly() {
        assertThat(DeskSettings.from(props()).orElseThrow().trustedProxyHeader()).isNull();
        assertThat(DeskSettings.from(props(DeskSettings.TRUSTED_PROXY_HEADER, " ")).orElseThrow().trustedProxyHeader()).isNull();
        DeskSettings on = DeskSettings.from(props(DeskSettings.TRUSTED_PROXY_HEADER, "X-Remote-User")).orElseThrow();
        assertThat(on.trustedProxyHeader()).isEqualTo("X-Remote-User");
        assertThat(on.trustedProxyFrom()).containsExactly(IpAddress.parse("127.0.0.1"), IpAddress.parse("::1"));
        assertThat(on.at("127.0.0.1:9000").trustedProxyHeader()).as("--bind keeps it").isEqualTo("X-Remote-User");

        assertThatThrownBy(() -> DeskSettings.from(props(DeskSettings.TRUSTED_PROXY_HEADER, "X-Remote-User",
                DeskSettings.TRUSTED_PROXY_FROM, "10.0.0.5"))).hasMessageContaining(DeskSettings.TRUSTED_PROXY_FROM).hasMessageContaining("loopback");
        assertThatThrownBy(() -> DeskSettings.from(props(DeskSettings.TRUSTED_PROXY_FROM, "localhost")))
                .hasMessageContaining(DeskSettings.TRUSTED_PROXY_FROM);
        assertThatThrownBy(() -> DeskSettings.from(props(DeskSettings.TRUSTED_PROXY_HEADER, "X Remote: User")))
                .hasMessageContaining(DeskSettings.TRUSTED_PROXY_HEADER);
    }
}
