package io.peftflow.registry.registration;

/** The job's adapter cannot be registered as ready: the version becomes {@code failed_registration} with this reason. */
public class RegistrationRejected extends RuntimeException {
    public RegistrationRejected(String reason) {
        super(reason);
    }
}
