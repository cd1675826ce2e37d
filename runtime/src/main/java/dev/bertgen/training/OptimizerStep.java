package dev.bertgen.training;

/**
 * The coefficients of one optimizer update, as the device's Adam kernel takes them:
 * {@code m = β1·m + (1−β1)·c·g; v = β2·v + (1−β2)·(c·g)²; p −= decay·p; p −= a1·m / (a2·√v + ε)},
 * where {@code c} scales the gradient down to {@code clipNorm} when its global norm is larger.
 *
 * @param a1 step size on m (Keras: lr·√(1−β2ᵗ)/(1−β1ᵗ); PyTorch: lr/(1−β1ᵗ))
 * @param a2 factor on √v (Keras: 1; PyTorch: 1/√(1−β2ᵗ))
 * @param decay decoupled weight decay, lr·weight_decay (AdamW), else 0
 * @param clipNorm global-norm clipping threshold, or 0 for none
 */
public record OptimizerStep(float a1, float a2, float beta1, float beta2, float epsilon, float decay,
    float clipNorm) {}
