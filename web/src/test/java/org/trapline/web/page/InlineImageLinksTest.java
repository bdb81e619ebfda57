package org.trapline.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.trapline.enforcement.TestClock;

class InlineImageLinksTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static String param(String link, String name) {
        return link.replaceAll(".*[?&]" + name + "=([^&]+).*", "$1");
    }

    @Test
    void aLinkOpensItsOneImageUntilItExpires() {
        TestClock now = new TestClock(T0);
        InlineImageLinks links = new InlineImageLinks(now);
        String link = links.link(7, "logo@spam");
        assertThat(link).startsWith("/hits/7/cid/logo%40spam?exp=");
        String exp = param(link, "exp");
        String sig = param(link, "sig");
        assertThat(links.valid(7, "logo@spam", exp, sig)).isTrue();
        assertThat(links.valid(8, "logo@spam", exp, sig)).as("another hit").isFalse();
        assertThat(links.valid(7, "other@spam", exp, sig)).as("another image").isFalse();
        assertThat(links.valid(7, "logo@spam", exp, null)).isFalse();
        assertThat(links.valid(7, "logo@spam", "soon", sig)).isFalse();
        assertThat(new InlineImageLinks(now).valid(7, "logo@spam", exp, sig)).as("another desk's key").isFalse();
        now.advance(InlineImageLinks.VALID);
        assertThat(links.valid(7, "logo@spam", exp, sig)).isTrue();
        now.advance(java.time.Duration.ofSeconds(1));
        assertThat(links.valid(7, "logo@spam", exp, sig)).as("expired").isFalse();
    }
}
