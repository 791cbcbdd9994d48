package io.peftflow.kit.limits;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Bounds every JSON body a service reads (SECURITY.md "Bounded work"): nesting depth, one string's length and the
 * whole document's. A body past them is a 400 (ProblemMappers' malformed JSON) before any field is looked at; the
 * fields themselves have tighter limits where they are read.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {
    public static final int MAX_DEPTH = 32;
    public static final int MAX_STRING_LENGTH = 1 << 20;
    public static final long MAX_DOCUMENT_LENGTH = 4L << 20;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(MAX_STRING_LENGTH)
                .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                .build());
    }
}
