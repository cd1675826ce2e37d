package dev.bertgen.presets;

import dev.bertgen.presets.formats.KerasH5Writer;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Writes altered copies of Keras {@code .weights.h5} files with jhdf's writer, for tests: datasets
 * can be dropped or moved to other paths, and the {@code name} attributes of {@code vars} groups are
 * kept. Groups without datasets are left out (the loader does not need them); jhdf 0.9.4 writes its
 * version string over a group written after the last dataset, which {@link KerasH5Writer} works around
 * and this copier does not.
 */
public final class H5Copier {
  private H5Copier() {}

  /** A group to write: its {@code name} attribute, datasets and subgroups. */
  private static final class Tree {
    String nameAttribute;
    final Map<String, Object> datasets = new LinkedHashMap<>();
    final Map<String, Tree> groups = new TreeMap<>();

    Tree child(String name) {
      return groups.computeIfAbsent(name, k -> new Tree());
    }
  }

  /**
   * Copies the float datasets of {@code source} to {@code target}.
   *
   * @param keep which dataset paths (e.g. {@code layers/dense/vars/0}) to copy
   * @param rename the path each kept dataset gets, from its source path
   */
  public static void copy(Path source, Path target, Predicate<String> keep, Function<String, String> rename) {
    Tree root = new Tree();
    try (HdfFile in = new HdfFile(source)) {
      collect(in, "", root, keep, rename);
    }
    try {
      Files.deleteIfExists(target); // jhdf overwrites without truncating
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (WritableHdfFile out = HdfFile.write(target)) {
      for (Map.Entry<String, Tree> e : root.groups.entrySet()) {
        write(out.putGroup(e.getKey()), e.getValue());
      }
    }
  }

  /** A plain copy without {@code dropped}. */
  public static void copyWithout(Path source, Path target, String dropped) {
    copy(source, target, p -> !p.equals(dropped), p -> p);
  }

  private static void collect(Group g, String prefix, Tree root, Predicate<String> keep,
      Function<String, String> rename) {
    for (Node n : g) {
      String path = prefix.isEmpty() ? n.getName() : prefix + "/" + n.getName();
      if (n instanceof Dataset d) {
        if (d.getJavaType() != float.class || d.isScalar() || !keep.test(path)) {
          continue;
        }
        String to = rename.apply(path);
        Tree t = root;
        String[] parts = to.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
          t = t.child(parts[i]);
        }
        t.datasets.put(parts[parts.length - 1], d.getData());
        Attribute name = g.getAttribute("name");
        if (name != null) {
          t.nameAttribute = String.valueOf(name.getData());
        }
      } else if (n instanceof Group child) {
        collect(child, path, root, keep, rename);
      }
    }
  }

  private static void write(WritableGroup out, Tree t) {
    if (t.nameAttribute != null) {
      out.putAttribute("name", t.nameAttribute);
    }
    for (Map.Entry<String, Object> d : t.datasets.entrySet()) {
      out.putDataset(d.getKey(), d.getValue());
    }
    for (Map.Entry<String, Tree> e : t.groups.entrySet()) {
      write(out.putGroup(e.getKey()), e.getValue());
    }
  }
}
