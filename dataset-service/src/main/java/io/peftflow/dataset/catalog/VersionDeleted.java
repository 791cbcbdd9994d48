package io.peftflow.dataset.catalog;

/** Fired (CDI, synchronously, in the deleting transaction) when a version is soft-deleted. */
public record VersionDeleted(DatasetVersion version) {
}
