package dev.bertgen.compute;

/**
 * Makes the kernel object that runs a model's operations, in the kernel family of the device it runs on.
 * Generated classes pass their specialized kernel classes (sizes as literals, one per family); models
 * known only at run time use {@link #generic()}.
 */
@FunctionalInterface
public interface KernelFactory {

  /**
   * A new kernel object for {@code config} in {@code family}; each owns its device context, so make few.
   */
  BertKernels create(dev.bertgen.spec.BackboneConfig config, KernelFamily family);

  /**
   * The factory for models known only at run time: in the CPU family a class specialized for the architecture
   * when the model is first put on an OpenCL device ({@link RuntimeKernels}; {@link GenericBertKernels} where
   * that is off or impossible), in the GPU family {@link GenericGpuKernels}.
   */
  static KernelFactory generic() {
    return (config, family) -> family == KernelFamily.GPU ? new GenericGpuKernels(config)
        : RuntimeKernels.create(config);
  }
}
