package io.peftflow.deploy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A GPU image that installs one of peft-core's JNI CUDA libraries: the variable peft-core reads the library's path from
 * (its {@code ENVIRONMENT} constant) is set by the module's {@code Dockerfile.gpu} to the file it copies there from a
 * build stage that compiles {@code peft-core/src/main/cuda} into that folder — one home for the path.
 */
final class NativeLibraryImage {
    private static final Pattern ENV_LINE = Pattern.compile("(?m)^ENV (\\w+)=(\\S+)$");
    private static final Pattern COPY_FROM = Pattern.compile("(?m)^COPY --from=([\\w-]+) (\\S+) (\\S+)$");

    private NativeLibraryImage() {
    }

    /** Asserts the install and returns the variable's name, for the manifests to leave alone. */
    static String assertInstalled(String module, String javaSource) {
        Matcher name = Pattern.compile("ENVIRONMENT = \"(\\w+)\"").matcher(Repository.read(javaSource));
        assertTrue(name.find(), javaSource + " names its variable");
        String variable = name.group(1);
        String dockerfile = Repository.read(module + "/src/main/docker/Dockerfile.gpu");
        String path = env(dockerfile, variable);
        assertNotNull(path, module + "'s Dockerfile.gpu sets " + variable);
        Matcher copy = COPY_FROM.matcher(dockerfile);
        boolean installed = false;
        while (copy.find()) {
            if (copy.group(3).equals("${" + variable + "}") || copy.group(3).equals(path)) {
                installed = true;
                Matcher stage = Pattern.compile("(?ms)^FROM \\S+ AS " + Pattern.quote(copy.group(1)) + "$(.*?)^FROM ")
                        .matcher(dockerfile);
                assertTrue(stage.find(), "build stage " + copy.group(1));
                String dir = copy.group(2).substring(0, copy.group(2).lastIndexOf('/'));
                assertTrue(stage.group(1).contains("peft-core/src/main/cuda/")
                        && stage.group(1).contains("build.sh " + dir), "stage " + copy.group(1) + " builds " + copy.group(2));
            }
        }
        assertTrue(installed, module + "'s Dockerfile.gpu copies the library to " + path);
        return variable;
    }

    private static String env(String dockerfile, String variable) {
        Matcher m = ENV_LINE.matcher(dockerfile);
        while (m.find()) {
            if (m.group(1).equals(variable)) {
                return m.group(2);
            }
        }
        return null;
    }
}
