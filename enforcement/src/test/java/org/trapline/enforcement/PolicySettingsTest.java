package org.trapline.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class PolicySettingsTest {

    @Test
    void defaultsFollowOperatorsPractice() {
        PolicySettings s = PolicySettings.defaults();
        assertThat(s.maxHits()).isEqualTo(3);
        assertThat(s.quietPeriod()).isEqualTo(Duration.ofMinutes(90));
        assertThat(s.suspendAt()).isEqualTo(10);
        assertThat(s.blockFor(1)).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.blockFor(3)).isEqualTo(Duration.ofMinutes(90));
        assertThat(s.mode(ActionType.FENCE)).isEqualTo(ActionMode.AUTO);
        assertThat(s.mode(ActionType.DISCONNECT)).isEqualTo(ActionMode.REVIEW);
        assertThat(s.brake()).isEqualTo(new PolicySettings.Brake(20, 50, null));
        // The brake's own entries always run: they tell staff.
        assertThat(s.mode(ActionType.BRAKE)).isEqualTo(ActionMode.AUTO);
    }

    @Test
    void shippedConfHasTheBrakeDefaultsAndNoExemptions() throws Exception {
        Properties shipped = new Properties();
        try (java.io.Reader r = java.nio.file.Files.newBufferedReader(
                java.nio.file.Path.of(System.getProperty("trapline.repo", ".."), "conf", "trapline.properties"))) {
            shipped.load(r);
        }
        assertThat(PolicySettings.from(shipped).brake()).isEqualTo(PolicySettings.defaults().brake());
        assertThat(org.trapline.common.Settings.path(shipped, Exemptions.FILE_KEY)).isNull();
        // The server refuses settings no module lists as its own.
        try (java.io.InputStream keys = getClass().getClassLoader().getResourceAsStream("META-INF/trapline-settings.keys")) {
            assertThat(new String(keys.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines())
                    .contains("action.brake.per-nas-per-hour", "action.brake.total-per-hour", "action.brake.notify", Exemptions.FILE_KEY);
        }
    }

    @Test
    void brakeLimitsAndStaffAddress() {
        Properties p = new Properties();
        p.setProperty("action.brake.per-nas-per-hour", "0");
        p.setProperty("action.brake.total-per-hour", "200");
        p.setProperty("action.brake.notify", " abuse-desk@isp.example ");
        assertThat(PolicySettings.from(p).brake()).isEqualTo(new PolicySettings.Brake(0, 200, "abuse-desk@isp.example"));
        for (String[] kv : new String[][] {{"action.brake.per-nas-per-hour", "-1"}, {"action.brake.total-per-hour", "lots"},
                {"action.brake.notify", "abuse desk"}, {"action.brake.notify", "a@b.example, c@d.example"}}) {
            Properties q = new Properties();
            q.setProperty(kv[0], kv[1]);
            assertThatThrownBy(() -> PolicySettings.from(q)).as(kv[0] + "=" + kv[1]).hasMessageContaining(kv[0]);
        }
    }

    @Test
    void multiplierGrowsBlocksUpToTheCap() {
        Properties p = new Properties();
        p.setProperty("strike.block-multiplier", "2");
        p.setProperty("strike.block-max", "PT6H");
        PolicySettings s = PolicySettings.from(p);
        assertThat(s.blockFor(1)).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.blockFor(2)).isEqualTo(Duration.ofMinutes(120)); // 30 x 2 x 2
        assertThat(s.blockFor(3)).isEqualTo(Duration.ofMinutes(360)); // 30 x 3 x 4
        assertThat(s.blockFor(4)).isEqualTo(Duration.ofHours(6));     // 960 min, capped
        assertThat(s.blockFor(60)).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void badValuesNameTheirKey() {
        for (String[] kv : new String[][] {{"strike.window", "an hour"}, {"strike.max-hits", "x"},
                {"action.fence.mode", "sometimes"}, {"strike.block-multiplier", "0.5"}, {"coa.fence.attributes", "Filter-Id"},
                {"acl.name", "bad name;"}}) {
            Properties p = new Properties();
            p.setProperty(kv[0], kv[1]);
            assertThatThrownBy(() -> PolicySettings.from(p)).as(kv[0]).hasMessageContaining(kv[0].equals("strike.block-multiplier")
                    ? "strike.block-multiplier" : kv[0]);
        }
    }
}
