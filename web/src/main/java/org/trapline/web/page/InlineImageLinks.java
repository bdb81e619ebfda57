package org.trapline.web.page;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Links from a spam's sandboxed HTML view to the images the message carries. The frame has an opaque origin,
 * so the browser sends its requests as cross-site, without the SameSite=Strict session cookie: each link
 * carries instead a signature over the hit, the Content-ID and an expiry, made with a key that lives as long
 * as this desk and is never stored. Only the logged-in HTML route makes links; a link opens one image for
 * {@link #VALID} and nothing else.
 */
public final class InlineImageLinks {
    /** How long after the HTML view was served its images may load. */
    static final Duration VALID = Duration.ofHours(1);
    private static final String HMAC = "HmacSHA256";

    private final byte[] key = new byte[32];
    private final Clock clock;

    public InlineImageLinks(Clock clock) {
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    /** The path of image {@code contentId} of hit {@code hitId}, signed, for the HTML view being served now. */
    public String link(long hitId, String contentId) {
        long expires = clock.instant().plus(VALID).getEpochSecond();
        return "/hits/" + hitId + "/cid/" + URLEncoder.encode(contentId, StandardCharsets.UTF_8).replace("+", "%20")
                + "?exp=" + expires + "&sig=" + signature(hitId, contentId, expires);
    }

    /** Whether a request for an image carries a link this desk made, not yet expired. */
    public boolean valid(long hitId, String contentId, String expires, String signature) {
        if (expires == null || signature == null) {
            return false;
        }
        long exp;
        try {
            exp = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return false;
        }
        return exp >= clock.instant().getEpochSecond() && MessageDigest.isEqual(
                signature(hitId, contentId, exp).getBytes(StandardCharsets.US_ASCII), signature.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(long hitId, String contentId, long expires) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            byte[] sig = mac.doFinal((hitId + "\n" + contentId + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is part of every Java runtime", e);
        }
    }
}
