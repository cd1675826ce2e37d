package dev.bertgen.compute;

/**
 * Makes the kernel object that runs a model's operations, in the kernel family of the device it runs on.
 * Generated classes pass their specialized kernel classes (sizes as literals, one per family); models
 * known only at run time use {@link GenericBertKernels} and {@link GenericGpuKernels}.
 */
@FunctionalInterface
public interface KernelFactory {

  /**
   * A new kernel object for {@code config} in {@code family}; each owns its device context, so make few.
   */
  BertKernels create(dev.bertgen.spec.BackboneConfig config, KernelFamily family);

  /** The factory of {@link GenericBertKernels} and {@link GenericGpuKernels}. */
  static KernelFactory generic() {
    return (config, family) -> family == KernelFamily.GPU ? new GenericGpuKernels(config)
        : new GenericBertKernels(config);
  }
}
