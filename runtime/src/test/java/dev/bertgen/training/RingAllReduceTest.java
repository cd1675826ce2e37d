package dev.bertgen.training;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The ring all-reduce between workers in threads of one JVM, over the loopback: exact sums, every worker with the
 * same bits, 1 to 4 workers, lengths that N does not divide (and past one write's chunk), and a worker that stops
 * named in an error within the timeout instead of a hang.
 */
class RingAllReduceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** Opens {@code n} workers, connects them, runs {@code body(rank, worker)} on each in its own thread. */
  private static List<Throwable> run(int n, BiConsumer<Integer, RingAllReduce> body) throws Exception {
    List<RingAllReduce> workers = new ArrayList<>();
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      RingAllReduce w = RingAllReduce.open(r, n, TIMEOUT, InetAddress.getLoopbackAddress());
      workers.add(w);
      addresses.add(w.address());
    }
    ExecutorService threads = Executors.newFixedThreadPool(n);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int r = 0; r < n; r++) {
        int rank = r;
        done.add(threads.submit(() -> {
          try (RingAllReduce w = workers.get(rank)) {
            w.connect(addresses);
            body.accept(rank, w);
          }
          return null;
        }));
      }
      List<Throwable> failures = new ArrayList<>();
      for (Future<?> f : done) {
        try {
          f.get();
          failures.add(null);
        } catch (ExecutionException e) {
          failures.add(e.getCause());
        }
      }
      return failures;
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void exactSumsOnEveryWorkerForOneToFourWorkers() throws Exception {
    for (int n = 1; n <= 4; n++) {
      for (int length : new int[] {0, 1, 3, 1001, 140_001}) {
        float[][] data = new float[n][length];
        float[] expected = new float[length];
        for (int r = 0; r < n; r++) {
          SplittableRandom random = new SplittableRandom(31L * r + length);
          for (int i = 0; i < length; i++) {
            data[r][i] = random.nextInt(-1000, 1000); // integers: every order of additions is exact
            expected[i] += data[r][i];
          }
        }
        int workers = n;
        List<Throwable> failures = run(n, (rank, w) -> w.sum(data[rank]));
        assertThat(failures).containsExactlyElementsIn(new ArrayList<Throwable>(java.util.Collections.nCopies(workers,
            null)));
        for (int r = 0; r < n; r++) {
          assertThat(data[r]).usingExactEquality().containsExactly(expected).inOrder();
        }
      }
    }
  }

  @Test
  void everyWorkerGetsTheSameBitsAndSumsRepeat() throws Exception {
    int n = 3;
    int length = 2_503;
    float[][] data = new float[n][length];
    for (int r = 0; r < n; r++) {
      SplittableRandom random = new SplittableRandom(r);
      for (int i = 0; i < length; i++) {
        data[r][i] = (float) random.nextGaussian();
      }
    }
    float[] firstHalfBefore = data[1].clone();
    List<Throwable> failures = run(n, (rank, w) -> {
      w.sum(data[rank], 0, length / 2); // two sums on the same connection, parts of the array
      w.sum(data[rank], length / 2, length - length / 2);
    });
    assertThat(failures).containsExactly(null, null, null);
    for (int i = 0; i < length; i++) {
      int bits = Float.floatToRawIntBits(data[0][i]);
      assertThat(Float.floatToRawIntBits(data[1][i])).isEqualTo(bits);
      assertThat(Float.floatToRawIntBits(data[2][i])).isEqualTo(bits);
    }
    assertThat(data[1][0]).isNotEqualTo(firstHalfBefore[0]);
  }

  @Test
  void aWorkerThatStopsIsNamedWithinTheTimeoutNotAHang() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      List<Throwable> failures = run(3, (rank, w) -> {
        if (rank == 2) {
          w.close(); // stops after joining the ring, before the first sum
          return;
        }
        w.sum(new float[1000]);
      });
      assertThat(failures.get(2)).isNull();
      for (int r = 0; r < 2; r++) {
        assertThat(failures.get(r)).isInstanceOf(RingAllReduce.AllReduceException.class);
        assertThat(failures.get(r)).hasMessageThat().contains("worker " + r + " of 3");
      }
      // worker 0 receives from worker 2 and names it; worker 1 then sees one of its neighbours go (worker 0, which
      // gave up, or worker 2) and names that one
      assertThat(failures.get(0)).hasMessageThat().contains("from worker 2 at");
      assertThat(failures.get(1)).hasMessageThat().containsMatch("worker [02] at");
    });
  }

  @Test
  void aWorkerThatHangsIsNamedAfterTheTimeout() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      List<Throwable> failures = run(2, (rank, w) -> {
        if (rank == 1) {
          try {
            Thread.sleep(TIMEOUT.toMillis() * 2); // connected, but never sums
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return;
        }
        w.sum(new float[100]);
      });
      assertThat(failures.get(0)).hasMessageThat().contains("from worker 1 at");
      assertThat(failures.get(0)).hasMessageThat().contains("no answer within 2000 ms");
    });
  }

  @Test
  void workersOutOfStepAreToldSo() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      List<Throwable> failures = run(2, (rank, w) -> w.sum(new float[rank == 0 ? 10 : 12]));
      assertThat(failures.get(0)).hasMessageThat().contains("out of step");
    });
  }

  @Test
  void badArgumentsAreRefused() throws Exception {
    assertThat(assertThrows(IllegalArgumentException.class, () -> RingAllReduce.open(3, 3, TIMEOUT,
        InetAddress.getLoopbackAddress()))).hasMessageThat().contains("ranks go from 0 to size - 1");
    try (RingAllReduce w = RingAllReduce.open(0, 2, TIMEOUT, InetAddress.getLoopbackAddress())) {
      assertThat(assertThrows(IllegalArgumentException.class, () -> w.connect(List.of(w.address()))))
          .hasMessageThat().contains("1 addresses for 2 workers");
      assertThat(assertThrows(IllegalStateException.class, () -> w.sum(new float[4]))).hasMessageThat()
          .contains("call connect");
    }
  }
}
