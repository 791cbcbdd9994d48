package io.peftflow.events.training;

/**
 * Base vs tuned quality on the validation split, with the trivial answer beside them: a tuned model must beat the
 * majority class, not only the untrained base.
 *
 * @param majority the majority-class answer's scores (null when the data has no labels)
 */
public record RunMetrics(EvalMetrics base, EvalMetrics tuned, Baseline majority) {

    /**
     * @param exactMatch      share of examples whose generated answer equals the reference (null without labels)
     * @param macroExactMatch exact match averaged over labels, each label weighing the same
     * @param labelAccuracy   share of examples whose label scores highest among the training split's labels (the
     *                        inference-service's classifier); null for generative data and in older events
     */
    public record EvalMetrics(double evalLoss, double perplexity, double tokenAccuracy, Double exactMatch,
                              Double macroExactMatch, Double labelAccuracy) {
        public EvalMetrics(double evalLoss, double perplexity, double tokenAccuracy, Double exactMatch,
                           Double macroExactMatch) {
            this(evalLoss, perplexity, tokenAccuracy, exactMatch, macroExactMatch, null);
        }
    }

    /** Always answering {@code label}: its exact match and macro exact match (1 / number of labels). */
    public record Baseline(String label, double exactMatch, double macroExactMatch, int labels) {
    }
}
