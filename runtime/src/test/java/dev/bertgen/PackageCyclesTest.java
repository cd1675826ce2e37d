package dev.bertgen;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages form no cycle: scans the main sources for imports and fully qualified names
 * (javadoc links too) of {@code dev.bertgen} types and fails on any strongly connected group of
 * packages, naming one reference of each edge in it. A subpackage is a package of its own.
 */
class PackageCyclesTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  /** A {@code dev.bertgen} package followed by a type name (upper-case first letter). */
  private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.bertgen(?:\\.[a-z_][a-z0-9_]*)+)\\.[A-Z]");

  @Test
  void runtimePackagesHaveNoCycle() {
    Map<String, Map<String, String>> edges = dependencies();
    List<Set<String>> cycles = cycles(edges);
    StringBuilder report = new StringBuilder();
    for (Set<String> cycle : cycles) {
      report.append("\npackages in a cycle: ").append(cycle);
      for (String from : cycle) {
        for (Map.Entry<String, String> e : edges.getOrDefault(from, Map.of()).entrySet()) {
          if (cycle.contains(e.getKey())) {
            report.append("\n  ").append(from).append(" -> ").append(e.getKey()).append(" (").append(e.getValue())
                .append(")");
          }
        }
      }
    }
    assertWithMessage("package cycles in the runtime:%s", report).that(cycles).isEmpty();
  }

  @Test
  void scannerSeesTheRuntimePackagesAndTheirReferences() {
    Map<String, Map<String, String>> edges = dependencies();
    assertThat(edges.keySet()).containsAtLeast("dev.bertgen.models", "dev.bertgen.compute",
        "dev.bertgen.presets", "dev.bertgen.training");
    assertThat(edges.get("dev.bertgen.models")).containsKey("dev.bertgen.compute");
    assertThat(cycles(Map.of("a", Map.of("b", "x"), "b", Map.of("a", "y"), "c", Map.of("a", "z"))))
        .containsExactly(Set.of("a", "b"));
  }

  /**
   * For each runtime package, the other runtime packages it references, each with one place that
   * does ("File.java:line").
   */
  private static Map<String, Map<String, String>> dependencies() {
    Map<Path, String> packages = new HashMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = PACKAGE.matcher(Files.readString(f));
        if (m.find()) {
          packages.put(f, m.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> runtime = new TreeSet<>(packages.values());
    Map<String, Map<String, String>> edges = new TreeMap<>();
    runtime.forEach(p -> edges.put(p, new TreeMap<>()));
    for (Map.Entry<Path, String> f : packages.entrySet()) {
      List<String> lines;
      try {
        lines = Files.readAllLines(f.getKey());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = REFERENCE.matcher(lines.get(i));
        while (m.find()) {
          String target = m.group(1);
          if (runtime.contains(target) && !target.equals(f.getValue())) {
            edges.get(f.getValue()).putIfAbsent(target, f.getKey().getFileName() + ":" + (i + 1));
          }
        }
      }
    }
    return edges;
  }

  /** The strongly connected components with more than one package (Tarjan's algorithm). */
  private static List<Set<String>> cycles(Map<String, Map<String, String>> edges) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    for (String v : new TreeSet<>(edges.keySet())) {
      if (!index.containsKey(v)) {
        connect(v, edges, index, low, stack, onStack, out);
      }
    }
    return out;
  }

  private static void connect(String v, Map<String, Map<String, String>> edges, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
      if (!index.containsKey(w)) {
        connect(w, edges, index, low, stack, onStack, out);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        out.add(component);
      }
    }
  }
}
