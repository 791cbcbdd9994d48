package io.peftflow.core.safetensors;

import java.util.Arrays;

/**
 * One entry of a safetensors header.
 *
 * @param name the tensor's key
 * @param dtype its element type
 * @param shape its dimensions
 * @param begin start offset in the data section (after the header)
 * @param end end offset (exclusive) in the data section
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    /** Element count; {@link ArithmeticException} if a corrupt shape overflows a long. */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteSize() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
