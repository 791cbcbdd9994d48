package io.peftflow.gateway.auth;

import io.peftflow.data.Sha256;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** API key material: new keys, their stored hash, and comparisons that take the same time whatever matches. */
public final class Secrets {
    /** Marks a string as a peftflow key (secret scanners and people both recognise it). */
    static final String KEY_PREFIX = "pfk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** 256 random bits: a key this strong needs no slow password hash, SHA-256 of it is safe to store. */
    static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String key) {
        return Sha256.hex(key);
    }

    /** Constant-time equality of two secrets (their hashes are compared, so lengths leak nothing either). */
    public static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(hash(a).getBytes(StandardCharsets.US_ASCII),
                hash(b).getBytes(StandardCharsets.US_ASCII));
    }

    /** The {@code Bearer} token of an {@code Authorization} header, or null. */
    public static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
