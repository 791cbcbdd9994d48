package io.peftflow.dataset.upload;

import io.peftflow.dataset.balancing.BalanceStrategy;

/**
 * One upload's parameters, already validated by the API layer.
 *
 * @param validationFraction null: the dataset's (or the default for a new dataset)
 * @param baseModel          null: lengths in characters
 * @param maxLength          null: no length limit
 * @param rejectTrailingTurns a chat example ending on a user or system turn is a bad line (else a warning)
 */
public record UploadRequest(String tenant, String dataset, boolean dropInvalid, boolean rejectTrailingTurns,
                            BalanceStrategy balance, Double validationFraction, long seed, String baseModel,
                            Integer maxLength) {
}
