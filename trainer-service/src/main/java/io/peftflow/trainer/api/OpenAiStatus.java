package io.peftflow.trainer.api;

import io.peftflow.trainer.jobs.FineTuningJob;

/**
 * A job's state in OpenAI's terms: OpenAI's job has succeeded when its model can be called, so a trained job whose
 * adapter registration is pending still runs, and a refused registration fails it.
 *
 * @param finished whether the job is over in these terms ({@code finished_at} is shown from then on)
 */
record OpenAiStatus(String wire, String fineTunedModel, OpenAiViews.Error error, boolean finished) {
    static OpenAiStatus of(FineTuningJob j) {
        return switch (j.status()) {
            case VALIDATING_FILES -> unfinished("validating_files");
            case QUEUED -> unfinished("queued");
            case RUNNING, CANCEL_REQUESTED, TRAINED -> unfinished("running");
            case CANCELLED -> new OpenAiStatus("cancelled", null, null, true);
            case FAILED -> failed(j.errorKind == null ? "failed" : j.errorKind.toLowerCase(java.util.Locale.ROOT),
                    j.errorMessage);
            case SUCCEEDED -> new OpenAiStatus("succeeded", j.registeredVersion == null ? null
                    : j.recipe.adapterName() + ":" + j.registeredVersion, null, true);
        };
    }

    private static OpenAiStatus unfinished(String wire) {
        return new OpenAiStatus(wire, null, null, false);
    }

    private static OpenAiStatus failed(String code, String message) {
        return new OpenAiStatus("failed", null, new OpenAiViews.Error(code, message, null), true);
    }
}
