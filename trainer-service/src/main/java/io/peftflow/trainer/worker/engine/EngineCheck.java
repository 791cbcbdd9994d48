package io.peftflow.trainer.worker.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Utils;
import io.peftflow.core.device.Devices;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Loads the PyTorch engine and runs one tensor operation on the worker's device, before the worker claims anything:
 * an engine that cannot load must not claim a job and spend one of its attempts. A failure is explained in one line
 * that names DJL's cache directory — where DJL unpacks the native libraries it then maps — and the likely cause.
 */
public final class EngineCheck {
    private static final String ENGINE = "PyTorch";

    private EngineCheck() {
    }

    /** The engine failed to load or to compute: {@link #getMessage()} is the one-line diagnosis. */
    public static final class EngineUnavailable extends RuntimeException {
        EngineUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Loads the engine, adds two tensors on {@code deviceSpec} ({@code auto}, {@code cpu}, {@code cuda:N}); returns the
     * device. A cache directory on a {@code noexec} mount fails at once, before DJL unpacks its natives there (0.4 GB for the CPU build).
     */
    public static Device load(String deviceSpec) {
        Path cacheDir = Utils.getEngineCacheDir();
        MountTable mounts = MountTable.ofThisProcess();
        if (mounts.mountOf(cacheDir).map(MountTable.Mount::noexec).orElse(false)) {
            throw new EngineUnavailable(diagnose(cacheDir, null, mounts), null);
        }
        try {
            Engine.getEngine(ENGINE);
            Device device = Devices.pick(deviceSpec);
            try (NDManager manager = NDManager.newBaseManager(device, ENGINE)) {
                float sum = manager.ones(new Shape(4)).add(1f).sum().getFloat();
                if (sum != 8f) {
                    throw new IllegalStateException("1 + 1 summed over 4 elements gave " + sum + " on " + device);
                }
            }
            return device;
        } catch (RuntimeException | LinkageError e) {
            throw new EngineUnavailable(diagnose(cacheDir, e, mounts), e);
        }
    }

    /** One line: what failed, the cache directory, the likely cause and the failure's messages (if it was tried). */
    static String diagnose(Path cacheDir, Throwable failure, MountTable mounts) {
        String messages = failure == null ? "" : messages(failure);
        String lower = messages.toLowerCase(Locale.ROOT);
        Optional<MountTable.Mount> mount = mounts.mountOf(cacheDir);
        String cause;
        if (mount.isPresent() && mount.get().noexec()) {
            cause = String.format("it is on a noexec mount (%s at %s), so the native libraries DJL unpacks there cannot "
                    + "be mapped: mount it with exec (a Kubernetes emptyDir, or a tmpfs with the exec option)",
                    mount.get().fsType(), mount.get().mountPoint());
        } else if (Files.exists(cacheDir) && !Files.isWritable(cacheDir)
                || !Files.exists(cacheDir) && firstExisting(cacheDir).map(p -> !Files.isWritable(p)).orElse(false)) {
            cause = "it is not writable by this user: DJL unpacks the native libraries there (DJL_CACHE_DIR)";
        } else if (lower.contains("cuda") || lower.contains("nvidia") || lower.contains("driver")) {
            cause = "CUDA or driver mismatch: the image's natives need CUDA 12.4 and an NVIDIA driver >= 550 "
                    + "(check nvidia-smi and the device plugin), or set PEFTFLOW_TRAINER_DEVICE=cpu";
        } else if (lower.contains("cannot open shared object file")) {
            cause = "a native library it needs is missing from the image (" + missingLibrary(messages) + ")";
        } else {
            cause = "no known cause";
        }
        return String.format("the %s engine cannot run in DJL cache directory %s: %s%s", ENGINE, cacheDir, cause,
                failure == null ? "" : " [" + messages + "]");
    }

    /** The messages of the failure and its causes, joined on one line. */
    private static String messages(Throwable failure) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = failure; t != null && out.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
            if (!out.isEmpty()) {
                out.append(" <- ");
            }
            out.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return out.toString().replaceAll("\\s+", " ");
    }

    private static String missingLibrary(String messages) {
        int end = messages.indexOf(": cannot open shared object file");
        int start = messages.lastIndexOf(' ', end - 1) + 1;
        return end > 0 ? messages.substring(start, end) : "see the message";
    }

    private static Optional<Path> firstExisting(Path path) {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
