package io.peftflow.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.peftflow.core.PeftCoreException;

/**
 * A named tensor of a {@link Module}, with its expected shape fixed at construction so that loading or
 * replacing it with a wrongly shaped array fails with the HF name in the message. Trainable parameters get
 * {@code requires_grad}, so a DJL {@code GradientCollector} records their gradients.
 */
public final class Parameter {
    private final String name;
    private final Shape shape;
    private NDArray array;
    private boolean trainable;

    public Parameter(String name, Shape shape) {
        this.name = name;
        this.shape = shape;
    }

    public String name() {
        return name;
    }

    public Shape shape() {
        return shape;
    }

    /** The current value; null until loaded or initialised. */
    public NDArray array() {
        if (array == null) {
            throw new PeftCoreException("parameter not initialised", null, name);
        }
        return array;
    }

    public boolean isInitialized() {
        return array != null;
    }

    /** Replaces the value (the old array is not closed: its manager owns it). */
    public void set(NDArray value) {
        if (!value.getShape().equals(shape)) {
            throw new PeftCoreException("shape mismatch: expected " + shape + ", got " + value.getShape(), null, name);
        }
        array = value;
        array.setRequiresGradient(trainable);
    }

    public boolean isTrainable() {
        return trainable;
    }

    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
        if (array != null) {
            array.setRequiresGradient(trainable);
        }
    }

    public long numel() {
        return shape.size();
    }

    @Override
    public String toString() {
        return name + shape + (trainable ? " trainable" : "");
    }
}
