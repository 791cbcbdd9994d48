package io.peftflow.dataset.validation;

import io.peftflow.dataset.balancing.BalanceStrategy;

/**
 * What the uploader chose.
 *
 * @param dropInvalid        drop bad lines and keep the rest (else one bad line rejects the upload)
 * @param rejectTrailingTurns a chat example ending on a user or system turn (never trained) is a bad line,
 *                           else it is kept and counted in a warning
 * @param validationFraction share of examples in validation, fixed per dataset so splits stay stable
 * @param splitSeed          the dataset's split seed (fixed by its first version)
 * @param seed               this upload's resampling seed
 * @param maxLength          longest accepted example in {@code lengths}' unit, or null for no limit
 */
public record ValidationOptions(boolean dropInvalid, boolean rejectTrailingTurns, BalanceStrategy balance, double validationFraction,
                                long splitSeed, long seed, Integer maxLength, LengthCounter lengths) {
}
