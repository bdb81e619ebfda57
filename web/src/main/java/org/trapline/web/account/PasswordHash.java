package org.trapline.web.account;

import java.security.SecureRandom;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt (Bouncy Castle's OpenBSD form, {@code $2b$}) with a per-password salt. The cost makes each guess
 * slow; tests may pass a small one.
 */
public final class PasswordHash {
    /** The cost a desk runs with: 2^12 rounds. */
    public static final int COST = 12;
    /** bcrypt reads at most 72 bytes; a longer password would be cut without a word, so it is refused. */
    public static final int MAX_BYTES = 72;
    public static final int MIN_LENGTH = 12;

    private final int cost;
    private final SecureRandom random = new SecureRandom();
    /** Checked against when the name is unknown, so an unknown name takes as long as a wrong password. */
    private final String decoy;

    public PasswordHash(int cost) {
        this.cost = cost;
        this.decoy = hash("not a password of anyone".toCharArray());
    }

    public String hash(char[] password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password, salt, cost);
    }

    public boolean matches(String hash, char[] password) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password);
        } catch (IllegalArgumentException | org.bouncycastle.crypto.DataLengthException notBcrypt) {
            return false;
        }
    }

    /** Spends the time of one check, for a name that has no account. */
    public void decoyCheck(char[] password) {
        matches(decoy, password);
    }

    /** Why a new password is refused, or null when it is fit. */
    public static String weakness(String password) {
        if (password.length() < MIN_LENGTH) {
            return "a password needs at least " + MIN_LENGTH + " characters";
        }
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "a password may have at most " + MAX_BYTES + " bytes (bcrypt reads no more)";
        }
        return null;
    }
}
