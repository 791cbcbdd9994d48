package io.peftflow.trainer.jobs;

import io.peftflow.events.contract.AdapterRef;
import io.peftflow.events.training.JobSucceeded;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.List;

/**
 * The registered adapter versions a job trains its adapter on top of, frozen, bottom first ({@code stack_on}). A
 * request names each as {@code adapter}, {@code adapter:N} or {@code adapter:champion}; once resolved every layer has
 * its {@code version} and {@code jobId} (the job that trained it, whose stored files are its weights), and the
 * layers' own stacks are included beneath them, so a later promotion does not change what the job trains on.
 */
public record StackOn(List<Layer> layers) {
    public StackOn {
        layers = List.copyOf(layers);
    }

    /** One frozen adapter: as requested ({@code alias} or {@code version}), then resolved. */
    public record Layer(String adapter, Integer version, String alias, String jobId) {
        public static Layer of(AdapterRef ref) {
            return new Layer(ref.adapter(), ref.version(), ref.alias(), null);
        }

        public Layer resolved(int version, String jobId) {
            return new Layer(adapter, version, alias, jobId);
        }

        public JobSucceeded.Parent parent() {
            return new JobSucceeded.Parent(adapter, version, jobId);
        }

        /** The same version (whichever way it was asked for). */
        public boolean sameVersion(Layer other) {
            return adapter.equals(other.adapter) && version.equals(other.version);
        }

        @Override
        public String toString() {
            return adapter + (version != null ? " v" + version : ":" + alias);
        }
    }

    /** The layers of a job or policy recipe: none when it has no stack. */
    public static List<Layer> of(Recipe r) {
        return r.stackOn() == null ? List.of() : r.stackOn().layers();
    }

    /** Whether two resolved stacks hold the same versions in the same order. */
    public static boolean sameVersions(List<Layer> a, List<Layer> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).sameVersion(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Converter
    public static class Text implements AttributeConverter<StackOn, String> {
        @Override
        public String convertToDatabaseColumn(StackOn stack) {
            return stack == null ? null : JsonText.write(stack);
        }

        @Override
        public StackOn convertToEntityAttribute(String text) {
            return text == null ? null : JsonText.read(text, StackOn.class);
        }
    }
}
