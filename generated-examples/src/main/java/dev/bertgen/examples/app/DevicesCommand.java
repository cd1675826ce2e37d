package dev.bertgen.examples.app;

import dev.bertgen.compute.ComputeDevice;
import dev.bertgen.compute.DeviceException;
import dev.bertgen.compute.Devices;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** What OpenCL sees here, and which device BertGen will use. */
@Command(name = "devices", mixinStandardHelpOptions = true,
    description = {"Lists the OpenCL devices found and Java threads, and says which one BertGen uses "
        + "(BERTGEN_DEVICE or -Dbertgen.device choose another)."})
final class DevicesCommand implements Callable<Integer> {

  @ParentCommand
  BertGenApp app;

  @Override
  public Integer call() {
    List<ComputeDevice> all = Devices.available();
    ComputeDevice chosen;
    String why;
    try {
      chosen = Devices.fromEnvironment();
      why = System.getProperty(Devices.PROPERTY) != null ? "-D" + Devices.PROPERTY
          : System.getenv(Devices.ENV) != null ? Devices.ENV + "=" + System.getenv(Devices.ENV) : "auto";
    } catch (DeviceException e) {
      chosen = null;
      why = e.getMessage();
    }
    for (ComputeDevice d : all) {
      boolean used = chosen != null && d.device() == chosen.device();
      app.out.printf("%s %-5s %s (%s kernel family)%n", used ? "*" : " ", d.kind().toString().toLowerCase(), d.name(),
          (used ? chosen.family() : d.family()).toString().toLowerCase());
    }
    if (Devices.openCl().isEmpty()) {
      app.out.println(Devices.NO_OPENCL);
    }
    app.out.println(chosen == null ? "no device: " + why : "BertGen uses: " + chosen + " (" + why + ")");
    return chosen == null ? BertGenApp.USAGE : 0;
  }
}
