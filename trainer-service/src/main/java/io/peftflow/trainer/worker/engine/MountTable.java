package io.peftflow.trainer.worker.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The mounts of this process as {@code /proc/self/mountinfo} lists them (proc(5)), to tell which mount a directory
 * lies on and whether code may be mapped from it ({@code noexec}).
 */
public record MountTable(List<Mount> mounts) {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /** One mount: where it is, its per-mount options ({@code rw,noexec,...}) and its file system type. */
    public record Mount(Path mountPoint, Set<String> options, String fsType) {
        public boolean noexec() {
            return options.contains("noexec");
        }
    }

    /** This process's mounts; empty where there is no {@code /proc/self/mountinfo} (not Linux). */
    public static MountTable ofThisProcess() {
        try {
            return parse(Files.readString(MOUNTINFO));
        } catch (IOException e) {
            return new MountTable(List.of());
        }
    }

    /** Parses mountinfo lines: {@code id parent major:minor root mount-point options [optional...] - type source super}. */
    public static MountTable parse(String mountinfo) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.trim().split(" ");
            int separator = List.of(f).indexOf("-");
            if (f.length < 6 || separator < 6 || separator + 1 >= f.length) {
                continue;
            }
            mounts.add(new Mount(Path.of(unescape(f[4])), Set.of(f[5].split(",")), f[separator + 1]));
        }
        return new MountTable(List.copyOf(mounts));
    }

    /**
     * The mount {@code path} lies on: the deepest mount point above it, the last listed where several share one (a
     * later mount hides an earlier one). The path is resolved through its nearest existing ancestor's real path.
     */
    public Optional<Mount> mountOf(Path path) {
        Path real = realPath(path);
        Mount best = null;
        for (Mount m : mounts) {
            if (real.startsWith(m.mountPoint())
                    && (best == null || m.mountPoint().getNameCount() >= best.mountPoint().getNameCount())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        for (Path p = absolute; p != null; p = p.getParent()) {
            try {
                return p.toRealPath().resolve(p.relativize(absolute));
            } catch (IOException e) {
                // not there (yet): try its parent
            }
        }
        return absolute;
    }

    /** The kernel writes space, tab, newline and backslash in mount points as octal escapes ({@code \040}). */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
