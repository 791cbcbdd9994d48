package io.peftflow.trainer.worker;

/**
 * Where a job's files go in the artifacts bucket: {@code <tenant>/<job>/checkpoints/step-<N>/} (peft-core's
 * checkpoint files, one prefix per step, nothing overwritten) and {@code <tenant>/<job>/result/} ({@code adapter/},
 * {@code manifest.json}, {@code metrics.json}).
 */
record ArtifactKeys(String tenant, String jobId) {
    String checkpoint(int step) {
        return tenant + "/" + jobId + "/checkpoints/step-" + step + "/";
    }

    String adapter() {
        return tenant + "/" + jobId + "/result/adapter/";
    }

    String result(String file) {
        return tenant + "/" + jobId + "/result/" + file;
    }
}
