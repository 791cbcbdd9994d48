package io.peftflow.registry.registration;

/**
 * A {@code training.job-succeeded} event no trainer can have sent: it names objects outside its own job's
 * {@code <tenant>/<job>/} prefix. Nothing is registered or copied; the record is dead-lettered.
 */
public class ForgedEvent extends RuntimeException {
    public ForgedEvent(String reason) {
        super(reason);
    }
}
