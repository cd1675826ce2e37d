package dev.bertgen.examples.app;

import dev.bertgen.presets.hub.HubSettings;
import dev.bertgen.presets.loading.PresetCatalog;
import dev.bertgen.presets.PresetInfo;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** keras-hub's preset table, with whether each preset is already in kagglehub's cache. */
@Command(name = "presets", mixinStandardHelpOptions = true,
    description = {"Lists the built-in presets: name, parameters, task, whether kagglehub's cache has them (so they "
        + "load offline), and description."})
final class PresetsCommand implements Callable<Integer> {

  @ParentCommand
  BertGenApp app;

  @Override
  public Integer call() {
    HubSettings settings = HubSettings.fromEnvironment();
    app.out.printf(Locale.ROOT, "%-26s %13s  %-14s %-6s  %s%n", "preset", "parameters", "task", "cached",
        "description");
    for (PresetInfo p : PresetCatalog.builtin(settings).values()) {
      app.out.printf(Locale.ROOT, "%-26s %,13d  %-14s %-6s  %s%n", p.name(), p.params(), p.task(),
          p.cached() ? "yes" : "no", p.description());
    }
    app.out.println("cache: " + settings.kaggleCache() + " (KAGGLEHUB_CACHE); load one with --preset NAME, or any "
        + "saved preset with --preset DIR, hf://owner/model or kaggle://...");
    return 0;
  }
}
