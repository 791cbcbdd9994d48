package io.peftflow.dataset.storage;

import java.util.List;

/**
 * The S3 key layout of one version, {@code <tenant>/<name>/v<N>/...}: the store has no object versioning, so
 * the version number is part of every key and nothing is ever overwritten.
 *
 * @param rawObject {@code raw.jsonl} or {@code raw.jsonl.gz}
 */
public record VersionKeys(String tenant, String dataset, int version, String rawObject) {
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";

    /** The keys of a stored version, from the raw key its row records. */
    public static VersionKeys ofRawKey(String tenant, String dataset, int version, String rawKey) {
        return new VersionKeys(tenant, dataset, version, rawKey.substring(rawKey.lastIndexOf('/') + 1));
    }

    public String prefix() {
        return tenant + "/" + dataset + "/v" + version + "/";
    }

    public String raw() {
        return prefix() + rawObject;
    }

    public String train() {
        return prefix() + "train.jsonl";
    }

    public String validation() {
        return prefix() + "validation.jsonl";
    }

    public String report() {
        return prefix() + "report.json";
    }

    /** The split's sorted content hashes ({@link io.peftflow.events.dataset.ContentHashes}). */
    public String hashes(String split) {
        return prefix() + (TRAIN.equals(split) ? TRAIN : VALIDATION) + ".hashes";
    }

    /** The key of a split by its API name. */
    public String split(String split) {
        return TRAIN.equals(split) ? train() : validation();
    }

    public List<String> all() {
        return List.of(raw(), train(), validation(), report(), hashes(TRAIN), hashes(VALIDATION));
    }
}
