package io.peftflow.kit.intake;

import io.peftflow.kit.storage.ObjectStoreException;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures are a dependency's availability (retried) and which are the record's (dead-lettered). */
class TransientFailuresTest {
    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("could not execute statement", cause);
    }

    @Test
    void unavailableDatabaseIsRetried() {
        assertTrue(TransientFailures.isTransient(wrapped(new SQLException("Connection refused", "08001"))));
        assertTrue(TransientFailures.isTransient(wrapped(new SQLException("I/O error", "08006"))));
        assertTrue(TransientFailures.isTransient(wrapped(new SQLException("terminating connection", "57P01"))));
        assertTrue(TransientFailures.isTransient(wrapped(new SQLException("starting up", "57P03"))));
        assertTrue(TransientFailures.isTransient(wrapped(new SQLException("deadlock detected", "40P01"))));
        assertTrue(TransientFailures.isTransient(wrapped(new SQLException("too many clients", "53300"))));
        // The pool's own errors carry no SQLSTATE: an acquisition timeout, or one around the driver's refusal.
        assertTrue(TransientFailures.isTransient(wrapped(new SQLException("Sorry, acquisition timeout!"))));
        assertTrue(TransientFailures.isTransient(new SQLException("pool", null,
                new SQLException("Connection refused", "08001", new ConnectException()))));
    }

    @Test
    void unreachableObjectStoreIsRetried() {
        assertTrue(TransientFailures.isTransient(new ObjectStoreException("stat s3://b/k failed",
                new ConnectException("Connection refused"))));
        assertTrue(TransientFailures.isTransient(new UncheckedIOException("cannot download s3://b/k",
                new java.io.IOException("unexpected end of stream"))));
        assertTrue(TransientFailures.isTransient(wrapped(new org.apache.kafka.common.errors.TimeoutException("t"))));
    }

    @Test
    void whatTheRecordCausesIsNot() {
        assertFalse(TransientFailures.isTransient(wrapped(new SQLException("value too long", "22001"))));
        assertFalse(TransientFailures.isTransient(wrapped(new SQLException("null value", "23502"))));
        assertFalse(TransientFailures.isTransient(new IllegalArgumentException("not a CloudEvent")));
        assertFalse(TransientFailures.isTransient(new ObjectStoreException("access denied", new IllegalStateException())));
        assertFalse(TransientFailures.isTransient(new NullPointerException()));
    }
}
