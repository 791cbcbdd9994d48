package io.peftflow.dataset.validation;

import io.peftflow.data.ParserLimits;

/**
 * The configurable bounds of one validation run (see {@code peftflow.dataset.*}).
 *
 * @param minExamples         fewer valid examples reject the upload
 * @param warnExamples        fewer valid examples give a warning
 * @param maxResponseErrors   line errors returned in a 422 (all of them go to the stored report)
 * @param maxLabels           distinct labels tracked; beyond it the data counts as unlabelled
 * @param labelSetMax         at most this many distinct short responses count as labels when lines have no {@code label}
 * @param maxLabelLength      longer responses are never taken for labels
 * @param imbalanceRatio      majority / minority count at or above which the report warns
 * @param maxOversampleFactor how many times its size a class may grow by oversampling
 * @param maxListedLines      duplicate line numbers listed in the report, per kind
 */
public record ValidationLimits(ParserLimits parser, int minExamples, int warnExamples, int maxResponseErrors,
                               int maxLabels, int labelSetMax, int maxLabelLength, double imbalanceRatio,
                               int maxOversampleFactor, int maxListedLines) {
}
