package dev.bertgen.compute;

/**
 * Makes the kernel object that runs a model's operations. Generated classes pass the constructor of
 * their specialized kernel class (sizes as literals); models known only at run time use
 * {@link GenericBertKernels}.
 */
@FunctionalInterface
public interface KernelFactory {

  /** A new kernel object for {@code config}; each owns its device context, so make few. */
  BertKernels create(dev.bertgen.spec.BackboneConfig config);

  /** The factory of {@link GenericBertKernels}. */
  static KernelFactory generic() {
    return GenericBertKernels::new;
  }
}
