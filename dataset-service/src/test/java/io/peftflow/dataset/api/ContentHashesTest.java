package io.peftflow.dataset.api;

import io.peftflow.events.dataset.ContentHashes;
import io.peftflow.kit.storage.ObjectStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

import static io.peftflow.dataset.api.TestData.labelled;
import static io.peftflow.dataset.api.TestData.lines;
import static io.peftflow.dataset.api.TestData.uniqueName;
import static io.peftflow.dataset.api.UploadApiTest.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each version's sorted content hashes, stored beside its splits: a re-upload (even re-cased and re-spaced, as the
 * duplicate check normalises) has no new example, a same-size replacement has only new ones, a superset has exactly
 * the added ones — counted from the stored hashes alone.
 */
@QuarkusTest
class ContentHashesTest {
    private static final String TENANT = "hashes";
    private static final String BUCKET = "peftflow-datasets";

    @Inject
    ObjectStore store;

    private long[] hashes(String name, int version) {
        String prefix = TENANT + "/" + name + "/v" + version + "/";
        return ContentHashes.union(read(prefix + "train.hashes"), read(prefix + "validation.hashes"));
    }

    private long[] read(String key) {
        try (InputStream in = store.get(BUCKET, key)) {
            return ContentHashes.decode(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void newAndDroppedExamplesAreCountedByContent() {
        String name = uniqueName("content");
        upload(TENANT, name, lines(0, 40, i -> labelled(i, i % 2 == 0 ? "food" : "travel")), "");
        // The same examples again, upper-cased with doubled spaces: the duplicate check's normalisation folds both.
        upload(TENANT, name, lines(0, 40, i -> labelled(i, i % 2 == 0 ? "food" : "travel")
                .toUpperCase(Locale.ROOT).replace("\"PROMPT\"", "\"prompt\"").replace("\"COMPLETION\"", "\"completion\"")
                .replace("\"LABEL\"", "\"label\"").replace(": ", ":  ")), "");
        upload(TENANT, name, lines(1000, 1040, i -> labelled(i, i % 2 == 0 ? "food" : "travel")), "");
        upload(TENANT, name, lines(0, 60, i -> labelled(i, i % 2 == 0 ? "food" : "travel")), "");

        long[] v1 = hashes(name, 1);
        long[] v2 = hashes(name, 2);
        long[] v3 = hashes(name, 3);
        long[] superset = hashes(name, 4);
        assertEquals(40, v1.length);
        assertEquals(0, ContentHashes.absent(v2, v1), "a re-upload brings no new example");
        assertEquals(0, ContentHashes.absent(v1, v2), "and drops none");
        assertEquals(40, ContentHashes.absent(v3, v2), "a same-size replacement: every example new");
        assertEquals(40, ContentHashes.absent(v2, v3), "and every old one dropped");
        assertEquals(20, ContentHashes.absent(superset, v1), "a superset: exactly the added examples");
        assertEquals(0, ContentHashes.absent(v1, superset));
        assertEquals(60, superset.length, "one hash per kept example, before any balancing");
    }
}
