package io.peftflow.trainer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.trainer.policies.PolicyService;
import io.peftflow.trainer.validation.FieldError;
import io.peftflow.trainer.validation.JobValidator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import io.peftflow.kit.names.Names;

import java.util.List;

/**
 * {@code /fine-tuning/policies/{dataset}}: retrain the dataset's adapter on each new version. The recipe is validated
 * like a job's (the dataset itself may not exist yet: the policy waits for its first version).
 */
@Path("/fine-tuning/policies/{dataset}")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {
    private final PolicyService policies;
    private final JobValidator validator;
    private final TrainerConfig config;

    public PolicyResource(PolicyService policies, JobValidator validator, TrainerConfig config) {
        this.policies = policies;
        this.validator = validator;
        this.config = config;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Views.PolicyView put(@RestHeader("X-Tenant") String tenant, @RestPath String dataset, JsonNode body) {
        String name = dataset(dataset);
        Requests.PolicyBody p = Requests.policy(body, name, config.defaultBaseModel());
        validator.recipe(p.recipe());
        return Views.PolicyView.of(policies.put(ApiProblems.tenant(tenant), name, p.recipe(), p.minNewExamples(),
                p.debounceSeconds()));
    }

    @GET
    public Views.PolicyView get(@RestHeader("X-Tenant") String tenant, @RestPath String dataset) {
        return Views.PolicyView.of(policies.get(ApiProblems.tenant(tenant), dataset(dataset)));
    }

    /** Idempotent: 204 whether or not there was a policy. Queued jobs it made stay queued. */
    @DELETE
    public Response delete(@RestHeader("X-Tenant") String tenant, @RestPath String dataset) {
        policies.delete(ApiProblems.tenant(tenant), dataset(dataset));
        return Response.noContent().build();
    }

    private static String dataset(String name) {
        if (!Names.valid(name)) {
            throw new Requests.BadRequest(List.of(new FieldError("dataset", "dataset must match " + Names.NAME.pattern())));
        }
        return name;
    }
}
