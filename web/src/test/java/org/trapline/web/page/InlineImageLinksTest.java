package org.trapline.web.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class InlineImageLinksTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    /** A clock the test moves. */
    static Clock moving(AtomicReference<Instant> now) {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
    }

    static String param(String link, String name) {
        return link.replaceAll(".*[?&]" + name + "=([^&]+).*", "$1");
    }

    @Test
    void aLinkOpensItsOneImageUntilItExpires() {
        AtomicReference<Instant> now = new AtomicReference<>(T0);
        InlineImageLinks links = new InlineImageLinks(moving(now));
        String link = links.link(7, "logo@spam");
        assertThat(link).startsWith("/hits/7/cid/logo%40spam?exp=");
        String exp = param(link, "exp");
        String sig = param(link, "sig");
        assertThat(links.valid(7, "logo@spam", exp, sig)).isTrue();
        assertThat(links.valid(8, "logo@spam", exp, sig)).as("another hit").isFalse();
        assertThat(links.valid(7, "other@spam", exp, sig)).as("another image").isFalse();
        assertThat(links.valid(7, "logo@spam", exp, null)).isFalse();
        assertThat(links.valid(7, "logo@spam", "soon", sig)).isFalse();
        assertThat(new InlineImageLinks(moving(now)).valid(7, "logo@spam", exp, sig)).as("another desk's key").isFalse();
        now.set(T0.plus(InlineImageLinks.VALID));
        assertThat(links.valid(7, "logo@spam", exp, sig)).isTrue();
        now.set(T0.plus(InlineImageLinks.VALID).plusSeconds(1));
        assertThat(links.valid(7, "logo@spam", exp, sig)).as("expired").isFalse();
    }
}
