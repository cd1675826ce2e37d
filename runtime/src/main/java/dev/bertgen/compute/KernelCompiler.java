package dev.bertgen.compute;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The JDK's compiler for {@link RuntimeKernels}, in a class of its own: it is loaded only where the
 * {@code java.compiler} module exists, so a Java runtime without it still loads {@code RuntimeKernels} (which
 * then runs the generic class).
 */
final class KernelCompiler {
  private KernelCompiler() {}

  /** Compiles one source file in memory (with debug information: Aparapi reads local variable names). */
  static byte[] compile(String binaryName, String source) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("this Java runtime has no Java compiler (modules java.compiler and "
          + "jdk.compiler); run on a JDK");
    }
    StringWriter diagnostics = new StringWriter();
    Map<String, ByteArrayOutputStream> out = new HashMap<>();
    try (StandardJavaFileManager standard = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
      JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
            FileObject sibling) {
          return new SimpleJavaFileObject(uri(className, kind), kind) {
            @Override
            public OutputStream openOutputStream() {
              return out.computeIfAbsent(className, c -> new ByteArrayOutputStream());
            }
          };
        }
      };
      JavaFileObject unit = new SimpleJavaFileObject(uri(binaryName, JavaFileObject.Kind.SOURCE),
          JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return source;
        }
      };
      List<String> options = List.of("-g", "-proc:none", "-nowarn", "--release", "17", "-classpath", classPath());
      Boolean ok = javac.getTask(diagnostics, files, null, options, null, List.of(unit)).call();
      if (!Boolean.TRUE.equals(ok) || !out.containsKey(binaryName)) {
        throw new IllegalStateException("compiling " + binaryName + " failed: " + diagnostics);
      }
    } catch (IOException e) {
      throw new IllegalStateException("compiling " + binaryName + " failed: " + e, e);
    }
    return out.get(binaryName).toByteArray();
  }

  /** Where the runtime's classes and Aparapi's come from: all the specialized source refers to. */
  private static String classPath() {
    List<String> entries = new ArrayList<>();
    for (Class<?> c : new Class<?>[] {BertKernels.class, com.aparapi.Kernel.class}) {
      try {
        entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException | RuntimeException e) {
        throw new IllegalStateException("cannot find where " + c.getName() + " is loaded from: " + e, e);
      }
    }
    entries.add(System.getProperty("java.class.path"));
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static URI uri(String className, JavaFileObject.Kind kind) {
    return URI.create("string:///" + className.replace('.', '/') + kind.extension);
  }
}
