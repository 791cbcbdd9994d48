package io.peftflow.registry.registration;

import io.peftflow.core.tuners.AdapterFiles;
import io.peftflow.data.Sha256;
import io.peftflow.events.contract.S3Uri;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.registry.storage.AdapterObjects;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A succeeded job's files copied from the trainer's S3 URIs into a local directory, each checked against the size and
 * SHA-256 the event gives. Closing it deletes the directory.
 */
public final class StagedAdapter implements AutoCloseable {
    /** A file name, never a path: it becomes the last part of an S3 key and a zip entry. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path dir;
    private final List<JobSucceeded.StoredFile> files;

    private StagedAdapter(Path dir, List<JobSucceeded.StoredFile> files) {
        this.dir = dir;
        this.files = files;
    }

    /** The job's files in registration order: the adapter directory, then manifest and metrics. */
    static List<JobSucceeded.StoredFile> filesOf(JobSucceeded job) {
        List<JobSucceeded.StoredFile> all = new ArrayList<>(job.adapterFiles());
        if (job.manifest() != null) {
            all.add(job.manifest());
        }
        if (job.metricsFile() != null) {
            all.add(job.metricsFile());
        }
        return all;
    }

    /**
     * Downloads and checks every file. A file outside the job's own {@code <tenant>/<job>/} prefix of the checkpoints
     * bucket is a {@link ForgedEvent} (nothing is read); a missing object, a bad name or a hash or size that differs
     * from the event is a {@link RegistrationRejected}; a store that does not answer is an exception to retry.
     */
    static StagedAdapter fetch(JobSucceeded job, AdapterObjects objects, Path workDir, String checkpointsBucket) {
        List<JobSucceeded.StoredFile> files = filesOf(job);
        for (JobSucceeded.StoredFile f : files) {
            if (!S3Uri.under(f.uri(), checkpointsBucket, job.tenant(), job.jobId())) {
                throw new ForgedEvent("job " + job.jobId() + " of tenant " + job.tenant() + " names "
                        + (f.name() == null ? "a file" : f.name()) + " outside its own s3://" + checkpointsBucket + "/"
                        + job.tenant() + "/" + job.jobId() + "/");
            }
        }
        Set<String> names = new HashSet<>();
        for (JobSucceeded.StoredFile f : files) {
            if (f.name() == null || !FILE_NAME.matcher(f.name()).matches()) {
                throw new RegistrationRejected("file name '" + f.name() + "' is not a plain file name");
            }
            if (!names.add(f.name())) {
                throw new RegistrationRejected("file " + f.name() + " is listed twice");
            }
        }
        for (String required : List.of(AdapterFiles.CONFIG, AdapterFiles.WEIGHTS)) {
            if (job.adapterFiles().stream().noneMatch(f -> f.name().equals(required))) {
                throw new RegistrationRejected("the adapter files lack " + required);
            }
        }
        Path dir;
        try {
            dir = Files.createTempDirectory(workDir, "register-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a staging directory in " + workDir, e);
        }
        StagedAdapter staged = new StagedAdapter(dir, List.copyOf(files));
        try {
            for (JobSucceeded.StoredFile f : files) {
                staged.download(f, objects);
            }
            return staged;
        } catch (RuntimeException e) {
            staged.close();
            throw e;
        }
    }

    private void download(JobSucceeded.StoredFile f, AdapterObjects objects) {
        Path target = dir.resolve(f.name());
        InputStream in;
        try {
            in = objects.open(f.uri()).orElseThrow(() ->
                    new RegistrationRejected(f.name() + " is missing at " + f.uri()));
        } catch (IllegalArgumentException e) {
            throw new RegistrationRejected(f.name() + ": " + e.getMessage());
        }
        try (in) {
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + f.uri(), e);
        }
        long bytes;
        String sha256;
        try {
            bytes = Files.size(target);
            sha256 = Sha256.hex(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Neither value is echoed: a forger who learnt the stored hash or size could pass the check the next time.
        if (!sha256.equalsIgnoreCase(String.valueOf(f.sha256())) || bytes != f.bytes()) {
            throw new RegistrationRejected(f.name() + " does not match the size and SHA-256 the event gives");
        }
    }

    public Path dir() {
        return dir;
    }

    /** The files as the event listed them (names, sizes and hashes checked). */
    public List<JobSucceeded.StoredFile> files() {
        return files;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover staging directory is harmless; the registration's outcome matters more
        }
    }
}
