package io.peftflow.core.data;

/** What to do with an example whose tokens exceed the model's context. */
public enum OverLongPolicy {
    /** Keep the first tokens that fit (an example left with no labelled token is skipped and counted). */
    TRUNCATE,
    /** Leave the example out and count it. */
    SKIP,
    /** Stop with an error naming the example. */
    FAIL
}
