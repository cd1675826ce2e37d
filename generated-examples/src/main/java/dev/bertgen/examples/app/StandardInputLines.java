package dev.bertgen.examples.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The lines of an input stream, read by a daemon thread so that waiting for a line never holds up the
 * answers to the lines before it; {@link #next} hands over the lines that have arrived together.
 */
final class StandardInputLines {

  /** A line (its number from 1 and its text, unstripped). */
  record Line(int number, String text) {}

  /** A line, the end (text null) or the error that ended reading. */
  private record Item(int number, String text, IOException error) {}

  private final BlockingQueue<Item> queue;
  private boolean ended;

  private StandardInputLines(InputStream in, int capacity) {
    this.queue = new LinkedBlockingQueue<>(capacity);
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    Thread thread = new Thread(() -> {
      int number = 0;
      try {
        try {
          for (String line; (line = reader.readLine()) != null; ) {
            queue.put(new Item(++number, line, null));
          }
          queue.put(new Item(number + 1, null, null));
        } catch (IOException e) {
          queue.put(new Item(number + 1, null, e));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bertgen-stdin");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts reading {@code in} (standard input) in the background, keeping at most {@code capacity} lines. */
  static StandardInputLines start(InputStream in, int capacity) {
    return new StandardInputLines(in, Math.max(1, capacity));
  }

  /**
   * Waits for the next line, then returns it with the lines that arrived with it, {@code max} at most;
   * an empty list at the end of the input.
   *
   * @throws UncheckedIOException when reading failed
   * @throws InterruptedException when interrupted while waiting
   */
  List<Line> next(int max) throws InterruptedException {
    List<Line> lines = new ArrayList<>();
    if (ended) {
      return lines;
    }
    List<Item> arrived = new ArrayList<>();
    arrived.add(queue.take());
    queue.drainTo(arrived, Math.max(0, max - 1));
    for (Item item : arrived) {
      if (item.error() != null) {
        throw new UncheckedIOException("cannot read standard input (line " + item.number() + "): "
            + item.error().getMessage(), item.error());
      }
      if (item.text() == null) {
        ended = true;
        break;
      }
      lines.add(new Line(item.number(), item.text()));
    }
    return lines;
  }
}
