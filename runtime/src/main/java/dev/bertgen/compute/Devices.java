package dev.bertgen.compute;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Device discovery and selection. The choice is explicit: {@code BERTGEN_DEVICE} (environment) or
 * {@code -Dbertgen.device} (Java option) = {@code gpu}, {@code cpu}, {@code java} or {@code auto}
 * (the default: a GPU if OpenCL has one, else an OpenCL CPU, else Java threads). Asking for a device
 * that is not there is an error, not a fallback.
 */
public final class Devices {
  private Devices() {}

  /** The environment variable naming the device. */
  public static final String ENV = "BERTGEN_DEVICE";
  /** The system property naming the device (wins over the environment). */
  public static final String PROPERTY = "bertgen.device";

  private static final Logger LOG = Logger.getLogger("dev.bertgen.compute");
  private static volatile List<ComputeDevice> openCl;

  /** The OpenCL devices present, GPUs first; empty where no OpenCL platform exists. */
  public static List<ComputeDevice> openCl() {
    List<ComputeDevice> list = openCl;
    if (list == null) {
      synchronized (Devices.class) {
        list = openCl;
        if (list == null) {
          list = discover();
          openCl = list;
        }
      }
    }
    return list;
  }

  /**
   * One line for people whose machine has no OpenCL device: what that means and how to get the faster path.
   */
  public static final String NO_OPENCL = "no OpenCL device found: BertGen runs on its Java threads (correct, "
      + "slower than OpenCL); for speed install PoCL on this CPU (apt-get install pocl-opencl-icd ocl-icd-libopencl1 on "
      + "Debian/Ubuntu) or a GPU's OpenCL driver";

  /**
   * Loads Aparapi's OpenCL binding with Aparapi's logger silenced: without an OpenCL library Aparapi logs a
   * SEVERE "check your environment" before BertGen can say anything ({@link #NO_OPENCL} says it instead).
   * Aparapi's later warnings (a kernel that fails on a device) keep their level.
   */
  static void loadOpenClQuietly() {
    Logger aparapi = Logger.getLogger(com.aparapi.Config.getLoggerName());
    Level before = aparapi.getLevel();
    aparapi.setLevel(Level.OFF);
    try {
      com.aparapi.internal.opencl.OpenCLLoader.isOpenCLAvailable();
    } catch (RuntimeException | LinkageError e) {
      LOG.log(Level.FINE, "Aparapi's OpenCL binding did not load", e);
    } finally {
      aparapi.setLevel(before);
    }
  }

  private static List<ComputeDevice> discover() {
    loadOpenClQuietly();
    // discrete GPUs: plain device buffers instead of CL_MEM_USE_HOST_PTR (per Aparapi's changelog, a large
    // speed-up on discrete GPUs); must be set before anything lists devices
    OpenCLDevice.setConfigurator(d -> {
      if (d.getType() == Device.TYPE.GPU) {
        d.setSharedMemory(false);
      }
    });
    List<ComputeDevice> out = new ArrayList<>();
    try {
      for (OpenCLDevice d : OpenCLDevice.listDevices(Device.TYPE.GPU)) {
        out.add(ComputeDevice.of(d, DeviceKind.GPU));
      }
      for (OpenCLDevice d : OpenCLDevice.listDevices(Device.TYPE.CPU)) {
        out.add(ComputeDevice.of(d, DeviceKind.CPU));
      }
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      LOG.log(Level.INFO, "no OpenCL: " + e);
    }
    return List.copyOf(out);
  }

  /** The device requested by {@value #PROPERTY} or {@value #ENV}, or auto. */
  public static ComputeDevice fromEnvironment() {
    String prop = System.getProperty(PROPERTY);
    ComputeDevice d;
    if (prop != null) {
      d = select(DeviceKind.parse(prop, "-D" + PROPERTY));
    } else {
      String env = System.getenv(ENV);
      d = select(env != null ? DeviceKind.parse(env, ENV) : null);
    }
    return withRequestedKernels(d);
  }

  /**
   * {@code d} with the kernel family {@value KernelFamily#PROPERTY} or {@value KernelFamily#ENV} asks
   * for ({@code cpu}, {@code gpu}), or as it is when neither is set.
   *
   * @throws DeviceException for an unknown family, or the GPU family on Java threads
   */
  public static ComputeDevice withRequestedKernels(ComputeDevice d) {
    KernelFamily family = KernelFamily.fromEnvironment();
    return family == null || family == d.family() ? d : d.withKernels(family);
  }

  /** Parses {@code gpu|cpu|java|auto} and selects, in the kernel family {@link #withRequestedKernels} gives. */
  public static ComputeDevice select(String request) {
    return withRequestedKernels(select(DeviceKind.parse(request, "device")));
  }

  /**
   * The first device of {@code kind}, or for {@code null} (auto) the best there is.
   *
   * @throws DeviceException when no device of that kind exists, listing what does
   */
  public static ComputeDevice select(DeviceKind kind) {
    if (kind == DeviceKind.JAVA) {
      return ComputeDevice.javaThreads();
    }
    List<ComputeDevice> all = openCl();
    for (ComputeDevice d : all) {
      if (kind == null || d.kind() == kind) {
        return d;
      }
    }
    if (kind == null) {
      return ComputeDevice.javaThreads();
    }
    throw new DeviceException("no OpenCL " + kind + " device found (OpenCL devices: "
        + (all.isEmpty() ? "none" : all) + "); install "
        + (kind == DeviceKind.CPU ? "PoCL (apt-get install pocl-opencl-icd ocl-icd-libopencl1)"
            : "the GPU's OpenCL driver") + ", or set " + ENV + "=java to run on Java threads");
  }

  /** Every device BertGen could use here, OpenCL first, Java threads last. */
  public static List<ComputeDevice> available() {
    List<ComputeDevice> all = new ArrayList<>(openCl());
    all.add(ComputeDevice.javaThreads());
    return all;
  }
}
