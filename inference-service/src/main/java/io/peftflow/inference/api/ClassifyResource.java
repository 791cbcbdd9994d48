package io.peftflow.inference.api;

import io.peftflow.inference.InferenceConfig;
import io.peftflow.inference.registry.ModelStack;
import io.peftflow.inference.runtime.Classifier;
import io.peftflow.kit.tenant.RequestTenant;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** {@code POST /classify}: the most likely trained label for each input, with its probability and the top k. */
@Path("/classify")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "inference", description = "Calling registered adapters: classification, OpenAI-compatible completions")
public class ClassifyResource {
    private static final int MAX_TOP_K = 1000;
    private final Classifier classifier;
    private final InferenceConfig config;
    private final RequestTenant tenant;

    public ClassifyResource(Classifier classifier, InferenceConfig config, RequestTenant tenant) {
        this.classifier = classifier;
        this.config = config;
        this.tenant = tenant;
    }

    @POST
    @Operation(summary = "Classify inputs with an adapter's trained labels (model: name, name:alias, name:version, or a stack a+b of one base)")
    @APIResponse(responseCode = "200", description = "per input: the label, its probability among the trained labels, the top k")
    @APIResponse(responseCode = "400", description = "a bad field, named in the problem (model, input, inputs, top_k)")
    @APIResponse(responseCode = "404", description = "no such model for this tenant")
    @APIResponse(responseCode = "422", description = "the adapter has no label set (trained on generative data)")
    @NonBlocking // waits for its pass without a thread (Classifier)
    public Uni<Response> classify(Requests.Classify body) {
        if (body == null) {
            throw FieldProblems.badRequest("body", "a JSON object {model, input | inputs[]} is required");
        }
        ModelStack model = Validation.model(body.model());
        if ((body.input() == null) == (body.inputs() == null)) {
            throw FieldProblems.badRequest("input", "give exactly one of input (a string) and inputs (an array)");
        }
        String field = body.input() != null ? "input" : "inputs";
        List<String> inputs = body.input() != null ? List.of(body.input()) : body.inputs();
        if (inputs.isEmpty() || inputs.size() > config.maxInputs()) {
            throw FieldProblems.badRequest("inputs", "must hold 1 to " + config.maxInputs() + " inputs, got " + inputs.size());
        }
        for (int i = 0; i < inputs.size(); i++) {
            Validation.text(field + (body.input() != null ? "" : "[" + i + "]"), inputs.get(i), config.maxInputChars());
        }
        int topK = body.topK() == null ? 5 : body.topK();
        if (topK < 1 || topK > MAX_TOP_K) {
            throw FieldProblems.badRequest("top_k", "must be 1 to " + MAX_TOP_K + ", got " + topK);
        }
        return classifier.classify(tenant.name(), model, inputs, field, topK).map(result ->
                Response.ok(Responses.Classification.of(result))
                        .header(Responses.VERSION_HEADER, result.version().versions()).build());
    }
}
