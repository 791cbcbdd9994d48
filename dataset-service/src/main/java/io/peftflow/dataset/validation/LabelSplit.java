package io.peftflow.dataset.validation;

/** One label's examples: in the train split before and after balancing, and in the validation split. */
public record LabelSplit(long trainBeforeBalancing, long train, long validation) {
}
