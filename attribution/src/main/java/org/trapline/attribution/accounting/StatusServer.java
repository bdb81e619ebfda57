package org.trapline.attribution.accounting;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.trapline.attribution.accounting.AccountingPacket.Problem;
import org.trapline.attribution.accounting.AccountingPacket.Refused;

/**
 * Status-Server on the accounting port (RFC 5997): how FreeRADIUS, a NAS or {@code radclient ... status}
 * asks whether the accounting server is alive. The answer is an Accounting-Response that says only that;
 * nothing is journaled and nothing cached (section 3: a Status-Server is never a duplicate of another).
 *
 * <p>A Status-Server has a random Request Authenticator, so only its Message-Authenticator (RFC 3579
 * HMAC-MD5 under the shared secret) shows that it comes from a client that knows the secret; one without
 * it is refused (RFC 5997 section 3, "MUST be silently discarded"), and one with a wrong value counts as a
 * bad authenticator. The answer carries a Message-Authenticator of its own, which clients hardened
 * against forged responses (BlastRADIUS) check.
 */
final class StatusServer {
    static final int STATUS_SERVER = 12;
    private static final byte ACCOUNTING_RESPONSE = 5;
    private static final int MESSAGE_AUTHENTICATOR = 80;
    private static final int MA_LENGTH = 18;

    private StatusServer() {
    }

    /**
     * Checks a Status-Server request and builds its answer.
     *
     * @return the Accounting-Response to send back
     * @throws Refused MALFORMED for bad framing or a missing Message-Authenticator, BAD_AUTHENTICATOR for a wrong one
     */
    static byte[] answer(byte[] data, int received, byte[] secret, MessageDigest md5) throws Refused {
        int length = AccountingPacket.framedLength(data, received);
        int at = messageAuthenticator(data, length);
        if (at < 0) {
            throw new Refused(Problem.MALFORMED, "Status-Server without a Message-Authenticator");
        }
        byte[] request = Arrays.copyOf(data, length);
        byte[] claimed = Arrays.copyOfRange(request, at + 2, at + MA_LENGTH);
        Arrays.fill(request, at + 2, at + MA_LENGTH, (byte) 0);
        if (!MessageDigest.isEqual(hmac(secret, request), claimed)) {
            throw new Refused(Problem.BAD_AUTHENTICATOR, "Status-Server Message-Authenticator does not match the shared secret");
        }
        byte[] out = new byte[AccountingPacket.HEADER + MA_LENGTH];
        out[0] = ACCOUNTING_RESPONSE;
        out[1] = data[1];
        out[2] = (byte) (out.length >> 8);
        out[3] = (byte) out.length;
        // Both the Message-Authenticator and then the Response Authenticator are computed over the request's
        // authenticator in the header (RFC 3579 section 3.2, RFC 2866 section 3).
        System.arraycopy(data, 4, out, 4, 16);
        out[AccountingPacket.HEADER] = (byte) MESSAGE_AUTHENTICATOR;
        out[AccountingPacket.HEADER + 1] = (byte) MA_LENGTH;
        System.arraycopy(hmac(secret, out), 0, out, AccountingPacket.HEADER + 2, 16);
        md5.reset();
        md5.update(out);
        md5.update(secret);
        System.arraycopy(md5.digest(), 0, out, 4, 16);
        return out;
    }

    /** Where the (one, well-sized) Message-Authenticator attribute starts, or -1. */
    private static int messageAuthenticator(byte[] data, int length) throws Refused {
        int found = -1;
        for (int pos = AccountingPacket.HEADER; pos < length; pos += data[pos + 1] & 0xff) {
            if ((data[pos] & 0xff) == MESSAGE_AUTHENTICATOR) {
                if ((data[pos + 1] & 0xff) != MA_LENGTH || found >= 0) {
                    throw new Refused(Problem.MALFORMED, "Status-Server with a Message-Authenticator that is not one of 16 bytes");
                }
                found = pos;
            }
        }
        return found;
    }

    private static byte[] hmac(byte[] secret, byte[] packet) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            // An empty secret cannot be a key; no NAS client is configured without one.
            mac.init(new SecretKeySpec(secret, "HmacMD5"));
            return mac.doFinal(packet);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 is part of every Java runtime", e);
        }
    }
}
