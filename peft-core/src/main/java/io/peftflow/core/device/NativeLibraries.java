package io.peftflow.core.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Utils;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Properties;

/**
 * Loads DJL's native libraries once — PyTorch (one tensor operation on the CPU) and the Hugging Face tokenizers —
 * which unpacks them into {@code DJL_CACHE_DIR}. The trainer's and inference-service's images run it at build time,
 * so a container starts with the natives in place on its read-only root file system and unpacks nothing.
 *
 * <p>Where {@value #LIBRARY_PATH} names a directory (the GPU images), the classpath's bundled libtorch and its JNI
 * library are copied there first, and DJL loads them from there: DJL itself unpacks a CUDA bundle only on a machine
 * that has a GPU, which an image build has not (it would try to download one instead).
 */
public final class NativeLibraries {
    /** DJL's override of where libtorch (and, beside it, its JNI library) is loaded from. */
    static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";

    private NativeLibraries() {
    }

    public static void main(String[] args) throws IOException {
        String libraryPath = Utils.getEnvOrSystemProperty(LIBRARY_PATH);
        boolean copied = libraryPath != null && !libraryPath.isBlank();
        if (copied) {
            copyBundledLibTorch(Path.of(libraryPath));
        }
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine.getEngineName())) {
            float sum = manager.ones(new Shape(4)).add(1f).sum().getFloat();
            if (sum != 8f) {
                throw new IllegalStateException("1 + 1 summed over 4 elements gave " + sum);
            }
        }
        LibUtils.checkStatus();
        System.out.printf("PyTorch %s and the tokenizers' library unpacked into %s%n", engine.getVersion(),
                copied ? libraryPath + " and " + Utils.getEngineCacheDir() : Utils.getEngineCacheDir());
    }

    /**
     * Copies the libraries of the classpath's pytorch-native bundle (its {@code native/lib/pytorch.properties}: the
     * flavor, cpu or cuXXX, and the file list) and the pytorch-jni library of that flavor into {@code dir}, the layout
     * DJL loads from under {@value #LIBRARY_PATH}.
     */
    static void copyBundledLibTorch(Path dir) throws IOException {
        ClassLoader loader = NativeLibraries.class.getClassLoader();
        Properties bundle = null;
        for (URL url : Collections.list(loader.getResources("native/lib/pytorch.properties"))) {
            Properties p = new Properties();
            try (InputStream in = url.openStream()) {
                p.load(in);
            }
            if (p.getProperty("placeholder") == null && p.getProperty("libraries") != null) {
                bundle = p;
            }
        }
        if (bundle == null) {
            throw new IllegalStateException("no pytorch-native bundle on the classpath to copy into " + dir);
        }
        String flavor = bundle.getProperty("flavor");
        String classifier = bundle.getProperty("classifier");
        Files.createDirectories(dir);
        for (String library : bundle.getProperty("libraries").split(",")) {
            copy(loader, "pytorch/" + flavor + "/" + classifier + "/" + library, dir.resolve(library));
        }
        String jni = System.mapLibraryName("djl_torch");
        copy(loader, "jnilib/" + classifier + "/" + flavor + "/" + jni, dir.resolve(jni));
    }

    private static void copy(ClassLoader loader, String resource, Path target) throws IOException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
