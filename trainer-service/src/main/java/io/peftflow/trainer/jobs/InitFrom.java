package io.peftflow.trainer.jobs;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * A warm start: the adapter version whose weights a job starts from ({@code init_from}). A request names a
 * {@code version} or an {@code alias} (only {@code champion}, which this service follows on
 * {@code peftflow.adapter-events}); once resolved, {@code version} and {@code jobId} (the job that trained it, whose
 * stored files are the weights) are set.
 */
public record InitFrom(String adapter, Integer version, String alias, String jobId) {
    public static final String CHAMPION = "champion";

    /** A retraining policy's default: the adapter's champion at the time each job is created. */
    public static InitFrom champion(String adapter) {
        return new InitFrom(adapter, null, CHAMPION, null);
    }

    public InitFrom resolved(int version, String jobId) {
        return new InitFrom(adapter, version, alias, jobId);
    }

    @Converter
    public static class Text implements AttributeConverter<InitFrom, String> {
        @Override
        public String convertToDatabaseColumn(InitFrom initFrom) {
            return initFrom == null ? null : JsonText.write(initFrom);
        }

        @Override
        public InitFrom convertToEntityAttribute(String text) {
            return text == null ? null : JsonText.read(text, InitFrom.class);
        }
    }
}
