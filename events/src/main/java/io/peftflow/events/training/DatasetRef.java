package io.peftflow.events.training;

/**
 * A dataset version as training uses it.
 *
 * @param version     the version number; 0 in a request means "the latest ready version"
 * @param trainSha256 hex SHA-256 of the train split (null in a request: the trainer fills it in)
 */
public record DatasetRef(String name, int version, String trainSha256, String validationSha256) {
    public static DatasetRef of(String name, int version) {
        return new DatasetRef(name, version, null, null);
    }
}
