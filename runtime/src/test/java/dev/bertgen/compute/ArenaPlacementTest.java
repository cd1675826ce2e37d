package dev.bertgen.compute;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.TestDevices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The arrays a kernel shares with OpenCL must not move while OpenCL holds their address. Aparapi's
 * {@code Kernel.get} re-reads the address of an array that the garbage collector moved but keeps the
 * OpenCL buffer made at the old one, so every later launch reads and writes the old place (freed or
 * reused heap: memory corruption), while {@code get} copies from there and hides it. On PoCL the
 * buffer is the Java array itself, which makes the effect visible: a launch after such a move no
 * longer writes the array.
 */
class ArenaPlacementTest {

  private static final BackboneConfig TINY = BackboneConfig.kerasHub(10, 1, 1, 4, 8);

  @Test
  void kernelWritesStillReachTheArrayAfterCollectionsAndDownloads() {
    ComputeDevice cpu = TestDevices.openClCpu();
    assumeTrue(cpu != null && cpu.name().contains("Portable Computing Language"),
        "needs PoCL, where an OpenCL buffer is the Java array itself");
    try (Launcher l = new Launcher(new GenericBertKernels(TINY), cpu, new float[64])) {
      int n = 256;
      l.activations(n);
      l.out(n);
      for (int round = 1; round <= 5; round++) {
        l.launch(Ops.FILL, n, round, 0f, 0);
        l.launch(Ops.COPY_OUT, n, 0f, 0f, 0, 0);
        float[] seen = l.out(n); // no download: on PoCL the kernel wrote this very array
        assertThat(seen[0]).isEqualTo((float) round);
        assertThat(seen[n - 1]).isEqualTo((float) round);
        churn();
        l.getOut(); // what a training step does after its launches
      }
    }
  }

  @Test
  void everyArrayBoundToAnOpenClKernelIsLargeEnoughNeverToMove() {
    ComputeDevice cpu = TestDevices.openClCpu();
    assumeTrue(cpu != null, "no OpenCL CPU device here");
    try (Launcher l = new Launcher(new GenericBertKernels(TINY), cpu, new float[64])) {
      long min = MemoryCheck.regionBytes() / 2 / Float.BYTES;
      for (Object array : l.arenas()) {
        int length = array instanceof float[] f ? f.length : ((int[]) array).length;
        assertThat((long) length).isGreaterThan(min);
      }
    }
  }

  /** Allocates and collects so that G1 moves every array that can move. */
  static void churn() {
    List<byte[]> garbage = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      garbage.add(new byte[64 * 1024]);
    }
    garbage.clear();
    System.gc();
    System.gc();
  }
}
