package io.peftflow.trainer.datasets;

import io.peftflow.events.contract.S3Uri;
import io.peftflow.events.dataset.ContentHashes;
import io.peftflow.events.training.JobQueued;
import io.peftflow.trainer.storage.Transfers;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a dataset version differs by content from an earlier one, from the sorted content hashes dataset-service stores
 * beside each version's splits (a few bytes per example: the data itself is never read). Versions announced without
 * them fall back to the difference in example counts, said so in {@link JobQueued.DataChange#byContent()}.
 */
@ApplicationScoped
public class ContentDiff {
    private final Transfers transfers;

    public ContentDiff(Transfers transfers) {
        this.transfers = transfers;
    }

    /** {@code newer} against {@code older} (null: nothing trained yet, every example is new). */
    public JobQueued.DataChange between(KnownVersion newer, KnownVersion older) {
        if (older == null) {
            return new JobQueued.DataChange(0, newer.validExamples, 0, newer.trainHashesUri != null);
        }
        if (newer.trainHashesUri == null || older.trainHashesUri == null) {
            return new JobQueued.DataChange(older.version, Math.max(0, newer.validExamples - older.validExamples),
                    Math.max(0, older.validExamples - newer.validExamples), false);
        }
        long[] a = hashes(newer);
        long[] b = hashes(older);
        return new JobQueued.DataChange(older.version, ContentHashes.absent(a, b), ContentHashes.absent(b, a), true);
    }

    /** Every kept example's content hash, both splits, sorted (checked against the announced SHA-256). */
    private long[] hashes(KnownVersion v) {
        return ContentHashes.union(read(v.trainHashesUri, v.trainHashesSha256),
                read(v.validationHashesUri, v.validationHashesSha256));
    }

    private long[] read(String uri, String sha256) {
        Path file = null;
        try {
            file = Files.createTempFile("content-hashes", ".bin");
            transfers.download(S3Uri.parse(uri), file, sha256);
            return ContentHashes.decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read content hashes " + uri, e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }
}
