package org.trapline.evidence.policy;

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
