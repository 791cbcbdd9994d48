package io.peftflow.core.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A training pass's summed loss and, from the layers' hand-written backward passes, the gradient of the scaled loss
 * with respect to each low-rank update the layers were given ({@code updates.get(i)}: an A or scaled B as a
 * {@link io.peftflow.core.nn.LowRank} holds it; {@code gradients.get(i)}: its gradient, same shape and dtype).
 */
public record LayerGradients(NDArray lossSum, List<NDArray> updates, List<NDArray> gradients) {
}
