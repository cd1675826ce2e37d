package dev.bertgen.training;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sums float arrays across {@code size} workers, in place, with a ring all-reduce over TCP: a
 * reduce-scatter (N−1 steps; each worker sends one segment to the next and adds the segment it receives from
 * the previous) then an all-gather (N−1 steps of copies). Each worker sends and receives {@code 2·(N−1)/N} of
 * the array, whatever N is. Every element's sum is computed once, on one worker, in ring order, and then copied,
 * so all workers end with the same bits.
 *
 * <p>Use: every worker calls {@link #open} (it listens on a port of its own), the workers exchange
 * {@link #address()}es by other means (Spark's {@code BarrierTaskContext.allGather}, say), each calls
 * {@link #connect} with the list in rank order, then {@link #sum} as often as needed, with arrays of the same
 * length on every worker. Every socket operation has the timeout given to {@link #open}: a worker that died
 * or stopped gives an {@link AllReduceException} naming it, never a hang.
 */
public final class RingAllReduce implements AutoCloseable {
  /** Bytes sent per write: large enough for the network, small enough for the buffers. */
  private static final int CHUNK_FLOATS = 1 << 16;
  private static final int MAGIC = 0x42475241; // "BGRA"

  private final int rank;
  private final int size;
  private final int timeoutMillis;
  private final ServerSocket server;
  private Socket toNext;
  private Socket fromPrevious;
  private DataOutputStream out;
  private DataInputStream in;
  private String nextName = "";
  private String previousName = "";
  private final ExecutorService sender;
  private long operations;
  /** What the previous worker sent in one step. */
  private float[] incoming = new float[0];

  private RingAllReduce(int rank, int size, Duration timeout, InetAddress bind) throws IOException {
    if (size < 1 || rank < 0 || rank >= size) {
      throw new IllegalArgumentException("rank " + rank + " of " + size + " workers: ranks go from 0 to size - 1");
    }
    long millis = Objects.requireNonNull(timeout, "timeout").toMillis();
    if (millis < 1 || millis > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("timeout " + timeout + ": give at least a millisecond");
    }
    this.rank = rank;
    this.size = size;
    this.timeoutMillis = (int) millis;
    this.server = size == 1 ? null : new ServerSocket(0, 1, bind);
    if (server != null) {
      server.setSoTimeout(timeoutMillis);
    }
    this.sender = size == 1 ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "bertgen-allreduce-send-" + rank);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Worker {@code rank} of {@code size}, listening on a free port of {@code bind} (the loopback for workers
   * on one machine, the address the other workers reach this one at otherwise).
   *
   * @param timeout the longest any connect, read or write may wait
   */
  public static RingAllReduce open(int rank, int size, Duration timeout, InetAddress bind) throws IOException {
    return new RingAllReduce(rank, size, timeout, bind);
  }

  /** The address the other workers connect to ({@code host:port}); null with one worker. */
  public InetSocketAddress address() {
    return server == null ? null : new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  /**
   * Joins the ring: connects to the next worker's address and accepts the previous worker's connection.
   *
   * @param addresses every worker's {@link #address()}, in rank order
   * @throws AllReduceException when a neighbour cannot be reached, or another worker connects than expected
   */
  public void connect(List<InetSocketAddress> addresses) {
    if (size == 1) {
      return;
    }
    if (addresses.size() != size) {
      throw new IllegalArgumentException(addresses.size() + " addresses for " + size + " workers; pass every "
          + "worker's address() in rank order");
    }
    int next = (rank + 1) % size;
    int previous = (rank + size - 1) % size;
    nextName = "worker " + next + " at " + addresses.get(next);
    previousName = "worker " + previous + " at " + addresses.get(previous);
    Future<Socket> connecting = sender.submit(() -> {
      Socket s = new Socket();
      s.connect(addresses.get(next), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      s.setTcpNoDelay(true);
      DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16));
      o.writeInt(MAGIC);
      o.writeInt(rank);
      o.writeInt(size);
      o.flush();
      return s;
    });
    try {
      fromPrevious = server.accept();
      fromPrevious.setSoTimeout(timeoutMillis);
      in = new DataInputStream(new java.io.BufferedInputStream(fromPrevious.getInputStream(), 1 << 16));
      int magic = in.readInt();
      int who = in.readInt();
      int theirSize = in.readInt();
      if (magic != MAGIC || who != previous || theirSize != size) {
        throw fail("joining the ring", previousName, new IOException("the connection came from "
            + (magic != MAGIC ? "something that is not a BertGen worker" : "worker " + who + " of " + theirSize)));
      }
    } catch (IOException e) {
      connecting.cancel(true);
      throw fail("waiting for the connection of", previousName, e);
    }
    try {
      toNext = connecting.get(timeoutMillis + 1000L, TimeUnit.MILLISECONDS);
      out = new DataOutputStream(new java.io.BufferedOutputStream(toNext.getOutputStream(), 1 << 16));
    } catch (ExecutionException e) {
      throw fail("connecting to", nextName, e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      throw fail("connecting to", nextName, e);
    } catch (IOException e) {
      throw fail("connecting to", nextName, e);
    }
  }

  /** Sums {@code data} across the workers, in place; every worker passes an array of the same length. */
  public void sum(float[] data) {
    sum(data, 0, data.length);
  }

  /** Sums {@code data[offset, offset + length)} across the workers, in place. */
  public void sum(float[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    if (size == 1) {
      return;
    }
    if (out == null) {
      throw new IllegalStateException("call connect(addresses) before sum");
    }
    long op = operations++;
    int largest = segment(length, 0)[1] + 1;
    if (incoming.length < largest) { // kept between sums: a bert_base sum would otherwise allocate 220 MB each time
      incoming = new float[largest];
    }
    for (int step = 0; step < size - 1; step++) { // reduce-scatter
      int[] send = segment(length, Math.floorMod(rank - step, size));
      int[] receive = segment(length, Math.floorMod(rank - step - 1, size));
      exchange(op, step, data, offset + send[0], send[1], incoming, receive[1]);
      int base = offset + receive[0];
      for (int i = 0; i < receive[1]; i++) {
        data[base + i] += incoming[i];
      }
    }
    for (int step = 0; step < size - 1; step++) { // all-gather
      int[] send = segment(length, Math.floorMod(rank + 1 - step, size));
      int[] receive = segment(length, Math.floorMod(rank - step, size));
      exchange(op, size - 1 + step, data, offset + send[0], send[1], incoming, receive[1]);
      System.arraycopy(incoming, 0, data, offset + receive[0], receive[1]);
    }
  }

  /** Segment {@code s} of an array of {@code length}: {start, length}; the lengths differ by at most one. */
  int[] segment(int length, int s) {
    int start = (int) ((long) length * s / size);
    int end = (int) ((long) length * (s + 1) / size);
    return new int[] {start, end - start};
  }

  /** Sends {@code count} floats to the next worker while receiving {@code expected} from the previous one. */
  private void exchange(long op, int step, float[] data, int from, int count, float[] into, int expected) {
    Future<?> sending = sender.submit(() -> {
      write(op, step, data, from, count);
      return null;
    });
    try {
      read(op, step, into, expected);
    } catch (IOException e) {
      sending.cancel(true);
      throw fail("receiving step " + step + " of sum " + op + " from", previousName, e);
    }
    try {
      sending.get(timeoutMillis + 1000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw fail("sending step " + step + " of sum " + op + " to", nextName, e.getCause());
    } catch (TimeoutException | InterruptedException e) {
      sending.cancel(true);
      throw fail("sending step " + step + " of sum " + op + " to", nextName, e);
    }
  }

  private void write(long op, int step, float[] data, int from, int count) throws IOException {
    out.writeLong(op);
    out.writeInt(step);
    out.writeInt(count);
    ByteBuffer bytes = ByteBuffer.allocate(Math.min(count, CHUNK_FLOATS) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (int done = 0; done < count; ) {
      int n = Math.min(CHUNK_FLOATS, count - done);
      bytes.clear();
      bytes.asFloatBuffer().put(data, from + done, n);
      out.write(bytes.array(), 0, n * Float.BYTES);
      done += n;
    }
    out.flush();
  }

  private void read(long op, int step, float[] into, int expected) throws IOException {
    long theirOp = in.readLong();
    int theirStep = in.readInt();
    int count = in.readInt();
    if (theirOp != op || theirStep != step || count != expected) {
      throw new IOException("out of step: it sent step " + theirStep + " of sum " + theirOp + " with " + count
          + " values, this worker expected step " + step + " of sum " + op + " with " + expected
          + " (every worker must call sum the same number of times with arrays of the same length)");
    }
    byte[] bytes = new byte[Math.min(count, CHUNK_FLOATS) * Float.BYTES];
    for (int done = 0; done < count; ) {
      int n = Math.min(CHUNK_FLOATS, count - done);
      in.readFully(bytes, 0, n * Float.BYTES);
      ByteBuffer.wrap(bytes, 0, n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into, done, n);
      done += n;
    }
  }

  private AllReduceException fail(String what, String peer, Throwable cause) {
    String why = cause instanceof SocketTimeoutException || cause instanceof TimeoutException
        ? "no answer within " + timeoutMillis + " ms" : String.valueOf(cause);
    return new AllReduceException("all-reduce, worker " + rank + " of " + size + ": " + what + " " + peer
        + " failed (" + why + "); that worker stopped, died or cannot be reached: restart the job (training resumes "
        + "from its last checkpoint)", cause);
  }

  @Override
  public void close() {
    for (AutoCloseable c : new AutoCloseable[] {toNext, fromPrevious, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // closing
      }
    }
    if (sender != null) {
      sender.shutdownNow();
    }
  }

  /** An all-reduce that could not complete: names this worker, the step and the neighbour at fault. */
  public static final class AllReduceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AllReduceException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
