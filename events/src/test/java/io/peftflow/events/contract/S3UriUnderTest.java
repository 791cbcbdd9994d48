package io.peftflow.events.contract;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link S3Uri#under}: only objects under their owner's prefix. */
class S3UriUnderTest {
    @Test
    void onlyObjectsUnderTheOwnersPrefix() {
        assertTrue(S3Uri.under("s3://ckpt/acme/job-1/result/adapter/a.json", "ckpt", "acme", "job-1"));
        assertFalse(S3Uri.under("s3://ckpt/evil/job-1/result/a.json", "ckpt", "acme", "job-1"));
        assertFalse(S3Uri.under("s3://ckpt/acme/job-10/a.json", "ckpt", "acme", "job-1"));
        assertFalse(S3Uri.under("s3://other/acme/job-1/a.json", "ckpt", "acme", "job-1"));
        assertFalse(S3Uri.under("s3://ckpt/acme/job-1/../../evil/x/a.json", "ckpt", "acme", "job-1"));
        assertFalse(S3Uri.under("s3://ckpt/acme/job-1//a.json", "ckpt", "acme", "job-1"));
        assertFalse(S3Uri.under("s3://ckpt/acme/job-1/", "ckpt", "acme", "job-1"));
        assertFalse(S3Uri.under("s3://ckpt/acme/job-1/a.json", "ckpt", "acme/job-1", ""));
        assertFalse(S3Uri.under(null, "ckpt", "acme", "job-1"));
    }
}
