package dev.bertgen.compute;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bertgen.models.BertBackbone;
import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.TestDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models known only at run time get a kernel class specialized for their architecture on OpenCL
 * ({@link RuntimeKernels}): compiled once, cached as a class file, run by Aparapi, and computing what the generic
 * class computes. The rest of the suite runs with specialization off ({@code -Dbertgen.specialize=false} in the
 * build); this class turns it on.
 */
class RuntimeKernelsTest {
  @TempDir Path cache;
  private String specializeBefore;
  private String cacheBefore;

  @BeforeEach
  void on() {
    specializeBefore = System.getProperty(RuntimeKernels.PROPERTY);
    cacheBefore = System.getProperty("bertgen.kernelCache");
    System.setProperty(RuntimeKernels.PROPERTY, "true");
    System.setProperty("bertgen.kernelCache", cache.toString());
    RuntimeKernels.forgetLoaded(); // each test starts with its own empty cache
  }

  @AfterEach
  void restore() {
    restore(RuntimeKernels.PROPERTY, specializeBefore);
    restore("bertgen.kernelCache", cacheBefore);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  /** An architecture no test elsewhere uses: hidden 48 (not a multiple of 16), 3 heads, intermediate 40. */
  private static BackboneConfig config() {
    return BackboneConfig.kerasHub(97, 2, 3, 48, 40);
  }

  @Test
  void compilesOnceAndLoadsFromTheCacheAfterwards() throws Exception {
    BertKernels first = RuntimeKernels.create(config());
    assertThat(first.getClass().getName()).startsWith("dev.bertgen.compute.specialized.Kernels_");
    List<Path> files;
    try (var list = Files.list(cache)) {
      files = list.toList();
    }
    assertThat(files).hasSize(1);
    Path classFile = files.get(0);
    assertThat(classFile.getFileName().toString()).isEqualTo(first.getClass().getSimpleName() + ".class");
    long written = Files.getLastModifiedTime(classFile).toMillis();

    RuntimeKernels.forgetLoaded();
    BertKernels again = RuntimeKernels.create(config());
    assertThat(again.getClass().getName()).isEqualTo(first.getClass().getName());
    assertThat(again.getClass()).isNotSameInstanceAs(first.getClass()); // defined again, from the cache
    assertThat(Files.getLastModifiedTime(classFile).toMillis()).isEqualTo(written);

    // a damaged cache entry is compiled again, not trusted
    Files.write(classFile, new byte[] {1, 2, 3});
    RuntimeKernels.forgetLoaded();
    BertKernels repaired = RuntimeKernels.create(config());
    assertThat(repaired.getClass().getName()).isEqualTo(first.getClass().getName());
    assertThat(Files.size(classFile)).isGreaterThan(1000L);
  }

  @Test
  void offMeansTheGenericClass() {
    System.setProperty(RuntimeKernels.PROPERTY, "false");
    assertThat(RuntimeKernels.create(config())).isInstanceOf(GenericBertKernels.class);
  }

  @Test
  void onAnOpenClCpuTheSpecializedClassRunsAndAgreesWithTheGenericOne() {
    ComputeDevice cpu = TestDevices.openClCpu();
    assumeTrue(cpu != null, "no OpenCL CPU device (PoCL) on this machine");
    int[][] ids = {{2, 17, 40, 96, 3, 0, 0}, {2, 5, 6, 7, 8, 9, 3}};
    int[][] segments = {{0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 1, 1, 1, 1}};
    int[][] mask = {{1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1}};
    float[][][] specialized;
    float[][][] generic;
    try (BertBackbone bb = BertBackbone.create(config(), 5)) {
      bb.setDevice(cpu);
      specialized = bb.call(ids, segments, mask).sequenceOutput();
      assertThat(bb.kernelClass()).startsWith("dev.bertgen.compute.specialized.Kernels_");
    }
    System.setProperty(RuntimeKernels.PROPERTY, "false");
    try (BertBackbone bb = BertBackbone.create(config(), 5)) {
      bb.setDevice(cpu);
      generic = bb.call(ids, segments, mask).sequenceOutput();
      assertThat(bb.kernelClass()).isEqualTo(GenericBertKernels.class.getName());
    }
    double worst = 0;
    for (int b = 0; b < ids.length; b++) {
      for (int s = 0; s < ids[b].length; s++) {
        for (int h = 0; h < 48; h++) {
          worst = Math.max(worst, Math.abs(specialized[b][s][h] - generic[b][s][h]));
        }
      }
    }
    assertWithMessage("max |specialized - generic|").that(worst).isAtMost(1e-5);
  }
}
