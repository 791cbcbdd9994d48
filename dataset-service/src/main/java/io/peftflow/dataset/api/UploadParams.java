package io.peftflow.dataset.api;

import io.peftflow.dataset.Problems;
import io.peftflow.dataset.balancing.BalanceStrategy;
import io.peftflow.dataset.upload.UploadRequest;
import io.peftflow.events.contract.ResourceName;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The upload's query parameters, taken as strings and parsed here so a bad value gets a 400 that names it
 * (a typed {@code @QueryParam} that fails to convert answers 404).
 */
public class UploadParams {
    @RestPath
    String name;

    @RestQuery("on_invalid")
    String onInvalid;

    @RestQuery("on_trailing_turn")
    String onTrailingTurn;

    @RestQuery
    String balance;

    @RestQuery("validation_fraction")
    String validationFraction;

    @RestQuery
    String seed;

    @RestQuery("base_model")
    String baseModel;

    @RestQuery("max_length")
    String maxLength;

    UploadRequest toRequest(String tenant) {
        boolean drop = switch (onInvalid == null ? "reject" : onInvalid) {
            case "reject" -> false;
            case "drop" -> true;
            default -> throw Problems.badRequest("on_invalid must be reject or drop, got '" + onInvalid + "'");
        };
        boolean rejectTrailing = switch (onTrailingTurn == null ? "warn" : onTrailingTurn) {
            case "warn" -> false;
            case "reject" -> true;
            default -> throw Problems.badRequest("on_trailing_turn must be warn or reject, got '" + onTrailingTurn + "'");
        };
        BalanceStrategy strategy = balance == null ? BalanceStrategy.NONE : BalanceStrategy.parse(balance).orElseThrow(() ->
                Problems.badRequest("balance must be none, oversample, undersample or class_weights, got '" + balance + "'"));
        Double fraction = null;
        if (validationFraction != null) {
            fraction = parse("validation_fraction", validationFraction, Double::valueOf);
            if (!(fraction >= 0 && fraction <= 0.5)) {
                throw Problems.badRequest("validation_fraction must be between 0 and 0.5, got " + validationFraction);
            }
        }
        long seedValue = seed == null ? 0 : parse("seed", seed, Long::valueOf);
        Integer max = maxLength == null ? null : parse("max_length", maxLength, Integer::valueOf);
        if (max != null && max <= 0) {
            throw Problems.badRequest("max_length must be positive, got " + maxLength);
        }
        return new UploadRequest(tenant, ResourceName.check("dataset name", name), drop, rejectTrailing, strategy, fraction, seedValue,
                baseModel == null || baseModel.isEmpty() ? null : baseModel, max);
    }

    private static <T> T parse(String param, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (NumberFormatException e) {
            throw Problems.badRequest(param + " must be a number, got '" + value + "'");
        }
    }
}
