package io.peftflow.trainer.intake;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures are the database's availability (retried) and which are the record's (dead-lettered). */
class IntakeTransactionsTest {
    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("could not execute statement", cause);
    }

    @Test
    void unavailableDatabaseIsRetried() {
        assertTrue(IntakeTransactions.databaseUnavailable(wrapped(new SQLException("Connection refused", "08001"))));
        assertTrue(IntakeTransactions.databaseUnavailable(wrapped(new SQLException("I/O error", "08006"))));
        assertTrue(IntakeTransactions.databaseUnavailable(wrapped(new SQLException("terminating connection", "57P01"))));
        assertTrue(IntakeTransactions.databaseUnavailable(wrapped(new SQLException("starting up", "57P03"))));
        assertTrue(IntakeTransactions.databaseUnavailable(wrapped(new SQLException("deadlock detected", "40P01"))));
        assertTrue(IntakeTransactions.databaseUnavailable(wrapped(new SQLException("too many clients", "53300"))));
        // The pool's own errors carry no SQLSTATE: an acquisition timeout, or one around the driver's refusal.
        assertTrue(IntakeTransactions.databaseUnavailable(wrapped(new SQLException("Sorry, acquisition timeout!"))));
        assertTrue(IntakeTransactions.databaseUnavailable(new SQLException("pool", null,
                new SQLException("Connection refused", "08001", new ConnectException()))));
    }

    @Test
    void whatTheDatabaseRefusesIsNot() {
        assertFalse(IntakeTransactions.databaseUnavailable(wrapped(new SQLException("value too long", "22001"))));
        assertFalse(IntakeTransactions.databaseUnavailable(wrapped(new SQLException("null value", "23502"))));
        assertFalse(IntakeTransactions.databaseUnavailable(new IllegalArgumentException("not a CloudEvent")));
        assertFalse(IntakeTransactions.databaseUnavailable(new NullPointerException()));
    }
}
