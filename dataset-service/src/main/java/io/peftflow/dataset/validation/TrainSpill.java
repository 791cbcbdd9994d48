package io.peftflow.dataset.validation;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The train lines between the validation pass and balancing, as records of {@code int label, int length,
 * bytes} (big-endian, what {@link java.io.DataInputStream} reads back). One unsynchronised buffer per record
 * instead of three locked {@code DataOutputStream} writes: that lock and copy were 18 % of a 1 GB
 * oversampling run's profile.
 */
final class TrainSpill implements Closeable {
    private final FileChannel channel;
    private final ByteBuffer buffer;

    TrainSpill(Path file, int bufferBytes) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        buffer = ByteBuffer.allocate(bufferBytes);
    }

    void write(int label, byte[] line, int offset, int length) throws IOException {
        if (buffer.remaining() < 8) {
            drain();
        }
        buffer.putInt(label).putInt(length);
        while (length > 0) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            int n = Math.min(length, buffer.remaining());
            buffer.put(line, offset, n);
            offset += n;
            length -= n;
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        try (channel) {
            drain();
        }
    }
}
