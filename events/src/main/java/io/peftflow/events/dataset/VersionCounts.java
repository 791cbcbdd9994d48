package io.peftflow.events.dataset;

/**
 * Line and example counts of an upload and its splits: what dataset-service's validation counts, what the version
 * stores and what {@link DatasetVersionReady} carries.
 *
 * @param valid          lines that parsed and passed validation, exact duplicates (dropped) included
 * @param nearDuplicates kept examples whose near-duplicate key repeats an earlier one's
 * @param train          train split examples after balancing
 */
public record VersionCounts(long lines, long valid, long invalid, long duplicates, long nearDuplicates, long train,
                            long validation) {
}
