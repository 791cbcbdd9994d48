package io.peftflow.trainer.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.trainer.jobs.Recipe;
import io.peftflow.trainer.policies.PolicyService;
import io.peftflow.events.contract.ResourceName;
import io.peftflow.kit.limits.WorkBudget;
import io.peftflow.kit.tenant.RequestTenant;
import io.peftflow.trainer.validation.JobValidator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;


/**
 * {@code /fine-tuning/policies/{dataset}}: retrain the dataset's adapter on each new version. The recipe is validated
 * like a job's (the dataset itself may not exist yet: the policy waits for its first version).
 */
@Path("/fine-tuning/policies/{dataset}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "fine-tuning")
public class PolicyResource {
    private final PolicyService policies;
    private final JobValidator validator;
    private final TrainerConfig config;
    private final RequestTenant tenant;
    private final WorkBudget budget;

    public PolicyResource(PolicyService policies, JobValidator validator, TrainerConfig config, RequestTenant tenant,
                          WorkBudget budget) {
        this.budget = budget;
        this.policies = policies;
        this.validator = validator;
        this.config = config;
        this.tenant = tenant;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a dataset's retraining policy: its recipe, min_new_examples and debounce_seconds")
    @APIResponse(responseCode = "200", description = "the policy")
    @APIResponse(responseCode = "400", description = "a bad dataset name or a body of the wrong shape; errors name the fields")
    @APIResponse(responseCode = "422", description = "a recipe that makes no job (unknown base model or method, bad hyperparameters, a plan that does not fit); errors name the fields")
    public Views.PolicyView put(@RestPath String dataset, JsonNode body) {
        String name = dataset(dataset);
        Requests.PolicyBody p = Requests.policy(body, name, config.defaultBaseModel());
        // Validation and the memory plan: CPU-bound, off the request thread and within a time budget (503 past it).
        Recipe recipe = budget.within("validating the recipe", () -> validator.recipe(p.recipe()));
        if (recipe.initFrom() != null && recipe.initFrom().alias() == null) {
            validator.parent(tenant.name(), recipe); // a pinned version must fit now; the champion is found per job
        }
        return Views.PolicyView.of(policies.put(tenant.name(), name, p.recipe(), p.minNewExamples(),
                p.debounceSeconds()));
    }

    @GET
    @Operation(summary = "Get a dataset's retraining policy")
    @APIResponse(responseCode = "200", description = "the policy")
    @APIResponse(responseCode = "400", description = "a bad dataset name")
    @APIResponse(responseCode = "404", description = "no policy for this dataset")
    public Views.PolicyView get(@RestPath String dataset) {
        return Views.PolicyView.of(policies.get(tenant.name(), dataset(dataset)));
    }

    /** Idempotent: 204 whether or not there was a policy. Queued jobs it made stay queued. */
    @DELETE
    @Operation(summary = "Remove a dataset's retraining policy (idempotent; jobs it queued stay queued)")
    @APIResponse(responseCode = "204", description = "removed, or there was none")
    @APIResponse(responseCode = "400", description = "a bad dataset name")
    public Response delete(@RestPath String dataset) {
        policies.delete(tenant.name(), dataset(dataset));
        return Response.noContent().build();
    }

    private static String dataset(String name) {
        return ResourceName.check("dataset", name);
    }
}
