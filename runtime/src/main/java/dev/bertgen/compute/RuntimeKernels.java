package dev.bertgen.compute;

import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.spec.codegen.MatmulSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Kernel classes specialized at run time, for models known only then (a preset directory, {@code hf://}, a
 * built-in name): the same class the annotation processor generates for a {@code @BertPreset}, a
 * {@link BertKernels} whose {@code run()} inlines {@link MatmulSource}'s register-blocked products with the
 * architecture's sizes as literals (what makes PoCL compile them to fast code) and hands every other operation
 * to {@link BertKernels#dispatch} with literal sizes. Its source is written here, compiled with the JDK's
 * compiler ({@code javax.tools}) and cached as a class file under {@code ~/.cache/bertgen/kernels} (or
 * {@code $XDG_CACHE_HOME/bertgen/kernels}, or {@code -Dbertgen.kernelCache}), named by a hash of its source, so
 * each architecture is compiled once per machine. Aparapi reads a kernel's bytecode through its class loader,
 * which here serves the class file too.
 *
 * <p>Where this cannot work (a Java runtime without the {@code java.compiler} module, a failed compilation)
 * the model runs the generic class, {@link GenericBertKernels}, after one warning. {@code -Dbertgen.specialize=false}
 * turns it off.
 */
public final class RuntimeKernels {
  /** {@code -Dbertgen.specialize=false}: models known only at run time run the generic class. */
  public static final String PROPERTY = "bertgen.specialize";
  static final String PACKAGE = "dev.bertgen.compute.specialized";
  private static final Logger LOG = Logger.getLogger(RuntimeKernels.class.getName());
  private static final Map<String, Class<? extends BertKernels>> LOADED = new ConcurrentHashMap<>();
  /** The class name of each architecture (the sizes the source depends on), so the source is hashed once. */
  private static final Map<List<Integer>, String> NAMES = new ConcurrentHashMap<>();
  private static volatile boolean warned;
  /** A digest of the class files the specialized classes extend. */
  private static final String RUNTIME_DIGEST = digestOf(BertKernels.class, ForwardKernels.class,
      TrainingKernels.class, ProductKernels.class, KernelArguments.class);

  private RuntimeKernels() {}

  /** Whether models known only at run time get specialized classes (the property, read on each call). */
  public static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));
  }

  /**
   * A kernel object of the CPU family for {@code config}: its specialized class, compiled or taken from the
   * cache, or the generic class where that is off or impossible.
   */
  public static BertKernels create(BackboneConfig config) {
    if (!enabled()) {
      return new GenericBertKernels(config);
    }
    try {
      return kernelClass(config).getConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      if (!warned) {
        warned = true;
        LOG.warning("BertGen could not specialize its kernels for this architecture (" + e
            + "); it runs the generic kernel class (correct, slower on OpenCL CPUs). -D" + PROPERTY
            + "=false turns specialization off.");
      }
      return new GenericBertKernels(config);
    }
  }

  /** The specialized class for {@code config}, compiled once per process (and once per machine with the cache). */
  static Class<? extends BertKernels> kernelClass(BackboneConfig config) {
    // named by its source and by the runtime classes it is compiled against (a cached class of an older BertGen
    // is not reused)
    String name = NAMES.computeIfAbsent(List.of(config.hiddenDim(), config.numHeads(), config.intermediateDim(),
        config.vocabularySize()), k -> "Kernels_" + hash(source("Kernels", config) + RUNTIME_DIGEST).substring(0, 16));
    return LOADED.computeIfAbsent(name, n -> define(n, source(n, config)));
  }

  /** Forgets the classes this process loaded (tests: the next {@link #create} reads the cache or compiles). */
  static void forgetLoaded() {
    LOADED.clear();
  }

  /** The Java source of the specialized class, named {@code simpleName}. */
  static String source(String simpleName, BackboneConfig b) {
    int h = b.hiddenDim();
    int in = b.intermediateDim();
    int v = b.vocabularySize();
    MatmulSource.JavaText s = new MatmulSource.JavaText(0);
    s.line("package " + PACKAGE + ";");
    s.line("");
    s.line("import dev.bertgen.compute.Ops;");
    s.line("");
    s.line(String.format(Locale.ROOT, "/** BertGen kernels specialized at run time: hidden %d, %d heads of %d, "
        + "intermediate %d, vocabulary %d. */", h, b.numHeads(), b.headDim(), in, v));
    s.beginControlFlow("public final class " + simpleName + " extends dev.bertgen.compute.BertKernels");
    s.beginControlFlow("public " + simpleName + "()");
    s.endControlFlow();
    s.line("");
    s.line("@Override");
    s.beginControlFlow("public void run()");
    s.statement("int g = getGlobalId(0)");
    s.beginControlFlow("if (g < count)");
    int qkv = 3 * h;
    s.beginControlFlow("if (op == Ops.DENSE_QKV)");
    MatmulSource.site(s, "query|key|value = x . Wq|Wk|Wv + bq|bk|bv", "activations", "parameters", "qkv", h, qkv, h,
        h, false);
    s.nextControlFlow("else if (op == Ops.DENSE_HIDDEN)");
    MatmulSource.site(s, "attention output, or the MLM head's dense layer", "activations", "parameters", "dense", h,
        h, h, h, false);
    s.nextControlFlow("else if (op == Ops.DENSE_UP)");
    MatmulSource.site(s, "feed-forward intermediate", "activations", "parameters", "feedForward", h, in, h, in,
        false);
    s.nextControlFlow("else if (op == Ops.DENSE_DOWN)");
    MatmulSource.site(s, "feed-forward output", "feedForward", "parameters", "dense", in, h, in, h, false);
    s.nextControlFlow("else if (op == Ops.LOGITS)");
    MatmulSource.site(s, "masked-LM logits against the transposed token embedding", "activations", "activations",
        "logits", h, v, h, v, true);
    s.nextControlFlow("else");
    s.statement(String.format(Locale.ROOT, "dispatch(%d, %d, %d, %d, %d)", h, b.numHeads(), b.headDim(), in, v));
    s.endControlFlow();
    s.endControlFlow();
    s.endControlFlow();
    s.endControlFlow();
    return s.text();
  }

  private static Class<? extends BertKernels> define(String simpleName, String source) {
    String binaryName = PACKAGE + "." + simpleName;
    Path cached = cacheDir().map(d -> d.resolve(simpleName + ".class")).orElse(null);
    if (cached != null && Files.isRegularFile(cached)) {
      try {
        return load(binaryName, Files.readAllBytes(cached));
      } catch (IOException | ClassNotFoundException | LinkageError e) {
        LOG.fine("kernel cache entry " + cached + " unusable (" + e + "): compiling again");
      }
    }
    if (ModuleLayer.boot().findModule("java.compiler").isEmpty()) {
      throw new IllegalStateException("this Java runtime has no Java compiler (modules java.compiler and "
          + "jdk.compiler); run on a JDK");
    }
    byte[] bytes = KernelCompiler.compile(binaryName, source);
    if (cached != null) {
      try {
        Files.createDirectories(cached.getParent());
        Path tmp = Files.createTempFile(cached.getParent(), simpleName, ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        LOG.fine("kernel cache not written: " + e); // compiled again next time
      }
    }
    try {
      return load(binaryName, bytes);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("specialized kernel class " + binaryName + " did not load: " + e, e);
    }
  }

  private static Class<? extends BertKernels> load(String binaryName, byte[] bytes) throws ClassNotFoundException {
    Class<?> c = new Loader(BertKernels.class.getClassLoader(), binaryName, bytes).loadClass(binaryName);
    if (!BertKernels.class.isAssignableFrom(c)) {
      throw new ClassFormatError(binaryName + " is not a BertKernels");
    }
    return c.asSubclass(BertKernels.class);
  }

  /** The class-file cache, if a home or cache directory is known. */
  static java.util.Optional<Path> cacheDir() {
    String explicit = System.getProperty("bertgen.kernelCache");
    if (explicit != null) {
      return explicit.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(explicit));
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isEmpty()) {
      return java.util.Optional.of(Path.of(xdg, "bertgen", "kernels"));
    }
    String home = System.getProperty("user.home");
    return home == null || home.isEmpty() ? java.util.Optional.empty()
        : java.util.Optional.of(Path.of(home, ".cache", "bertgen", "kernels"));
  }

  private static String digestOf(Class<?>... classes) {
    StringBuilder all = new StringBuilder();
    for (Class<?> c : classes) {
      try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
        all.append(in == null ? c.getName() : hash(HexFormat.of().formatHex(in.readAllBytes())));
      } catch (IOException e) {
        all.append(c.getName());
      }
    }
    return all.toString();
  }

  private static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Defines the one specialized class and serves its bytes as a resource (Aparapi parses the class file). */
  private static final class Loader extends ClassLoader {
    private final String name;
    private final byte[] bytes;

    Loader(ClassLoader parent, String name, byte[] bytes) {
      super(parent);
      this.name = name;
      this.bytes = bytes;
    }

    @Override
    protected Class<?> findClass(String className) throws ClassNotFoundException {
      if (className.equals(name)) {
        return defineClass(className, bytes, 0, bytes.length);
      }
      throw new ClassNotFoundException(className);
    }

    @Override
    public InputStream getResourceAsStream(String resource) {
      if (resource.equals(name.replace('.', '/') + ".class")) {
        return new ByteArrayInputStream(bytes);
      }
      return super.getResourceAsStream(resource);
    }
  }
}
