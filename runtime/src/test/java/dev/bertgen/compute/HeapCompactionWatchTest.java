package dev.bertgen.compute;

import static com.google.common.truth.Truth.assertThat;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bertgen.spec.BackboneConfig;
import dev.bertgen.testing.TestDevices;
import org.junit.jupiter.api.Test;

/**
 * Which collections move humongous arrays on Java 21 and later: G1's maximal compaction, the second
 * full collection for one failed allocation (both are reported with the cause "G1 Compaction Pause"),
 * or one that clears every soft reference. A single full collection, System.gc() and young or
 * concurrent collections do not.
 */
class HeapCompactionWatchTest {

  @Test
  void onlyTheMaximalCompactionCounts() {
    int before = HeapCompactionWatch.compactions();
    HeapCompactionWatch.observe("G1 Young Generation", "G1 Evacuation Pause");
    HeapCompactionWatch.observe("G1 Old Generation", "G1 Compaction Pause"); // the first full collection
    HeapCompactionWatch.observe("G1 Young Generation", "G1 Evacuation Pause");
    HeapCompactionWatch.observe("G1 Old Generation", "System.gc()");
    HeapCompactionWatch.observe("G1 Old Generation", "G1 Compaction Pause"); // after System.gc(): not a retry
    HeapCompactionWatch.observe("G1 Young Generation", "G1 Humongous Allocation");
    assertThat(HeapCompactionWatch.compactions()).isEqualTo(before);

    HeapCompactionWatch.observe("G1 Old Generation", "G1 Compaction Pause");
    HeapCompactionWatch.observe("G1 Concurrent GC", "No GC"); // beside the pauses: changes nothing
    HeapCompactionWatch.observe("G1 Old Generation", "G1 Compaction Pause"); // the retry: maximal
    assertThat(HeapCompactionWatch.compactions()).isEqualTo(before + 1);
    assertThat(HeapCompactionWatch.lastCause()).isEqualTo("G1 Compaction Pause");

    HeapCompactionWatch.observe("G1 Old Generation", "Metadata GC Clear Soft References");
    assertThat(HeapCompactionWatch.compactions()).isEqualTo(before + 2);
    assertThat(HeapCompactionWatch.lastCause()).isEqualTo("Metadata GC Clear Soft References");
  }

  @Test
  void aLauncherRefusesToGoOnAfterOne() {
    ComputeDevice cpu = TestDevices.openClCpu();
    assumeTrue(cpu != null, "no OpenCL CPU device here");
    try (Launcher l = new Launcher(new GenericBertKernels(BackboneConfig.kerasHub(10, 1, 1, 4, 8)), cpu,
        new float[64])) {
      l.activations(16);
      l.out(16);
      l.launch(Ops.FILL, 16, 1f, 0f, 0);
      HeapCompactionWatch.observe("G1 Old Generation", "Metadata GC Clear Soft References");
      DeviceException e = assertThrows(DeviceException.class, () -> l.launch(Ops.FILL, 16, 1f, 0f, 0));
      assertThat(e).hasMessageThat().startsWith("the Java heap ran full and G1 compacted all of it (Metadata GC "
          + "Clear Soft References)");
      assertThat(e).hasMessageThat().contains("larger -Xmx");
      assertThrows(DeviceException.class, l::getOut);
    }
  }
}
