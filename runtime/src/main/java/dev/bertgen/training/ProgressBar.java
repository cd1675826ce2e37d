package dev.bertgen.training;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * keras' progress bar for {@code fit} and {@code evaluate}:
 *
 * <pre>
 * Epoch 1/3
 *  45/157 [======>.......................] ETA 1:02 - loss: 0.7123 - sparse_categorical_accuracy: 0.0712 - 12,345 tokens/s
 * </pre>
 *
 * redrawn in place ({@code \r}) at most every 100 ms, or one line per epoch, or nothing.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final Verbosity mode;
  private int total;
  private long start;
  private long lastDraw;
  private int lastLength;

  /**
   * @param verbosity {@link Verbosity#AUTO} becomes a bar when {@code out} is standard output on a
   *     terminal, and silence otherwise
   */
  public ProgressBar(PrintStream out, Verbosity verbosity) {
    this.out = out;
    this.mode = verbosity == Verbosity.AUTO ? (out == System.out && isTerminal() ? Verbosity.PROGRESS_BAR
        : Verbosity.SILENT) : verbosity;
  }

  /** Whether this JVM's standard output is an interactive terminal. */
  public static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Java 22+ returns a console even when redirected; isTerminal() tells the difference.
      Method m = Console.class.getMethod("isTerminal");
      return (Boolean) m.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /** The mode after resolving {@link Verbosity#AUTO}. */
  public Verbosity mode() {
    return mode;
  }

  /** Starts an epoch of {@code steps} batches ({@code epoch} from 0); prints keras' header. */
  public void begin(String header, int steps) {
    this.total = steps;
    this.start = System.nanoTime();
    this.lastDraw = 0;
    this.lastLength = 0;
    if (mode != Verbosity.SILENT && header != null) {
      out.println(header);
    }
  }

  /** After {@code done} of the epoch's batches. */
  public void update(int done, Map<String, Double> logs, double tokensPerSecond) {
    if (mode != Verbosity.PROGRESS_BAR) {
      return;
    }
    long now = System.nanoTime();
    if (done < total && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double elapsed = (now - start) / 1e9;
    String eta = done > 0 ? "ETA " + clock(elapsed / done * (total - done)) : "ETA ?";
    draw(bar(done) + " " + eta + metrics(logs) + rate(tokensPerSecond), false);
  }

  /** Ends the epoch with its final metrics (validation included). */
  public void end(int done, Map<String, Double> logs, double tokensPerSecond) {
    if (mode == Verbosity.SILENT) {
      return;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    String perStep = done > 0 ? String.format(Locale.ROOT, " %.0fms/step", elapsed * 1000 / done) : "";
    draw(bar(done) + " " + clock(elapsed) + perStep + metrics(logs) + rate(tokensPerSecond), true);
  }

  /** Ends a bar drawn in place with a line break, so that an error printed next starts on its own line. */
  public void abort() {
    if (mode == Verbosity.PROGRESS_BAR && lastLength > 0) {
      out.println();
      out.flush();
      lastLength = 0;
    }
  }

  private void draw(String line, boolean last) {
    StringBuilder s = new StringBuilder();
    if (mode == Verbosity.PROGRESS_BAR) {
      s.append('\r');
    }
    s.append(line);
    for (int i = line.length(); i < lastLength; i++) {
      s.append(' ');
    }
    lastLength = line.length();
    if (last || mode != Verbosity.PROGRESS_BAR) {
      out.println(s);
    } else {
      out.print(s);
    }
    out.flush();
  }

  private String bar(int done) {
    int digits = Integer.toString(total).length();
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%" + digits + "d/%d [", done, total));
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
    for (int i = 0; i < WIDTH; i++) {
      s.append(i < filled ? '=' : i == filled ? '>' : '.');
    }
    return s.append(']').toString();
  }

  private static String metrics(Map<String, Double> logs) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      s.append(String.format(Locale.ROOT, " - %s: %.4f", e.getKey(), e.getValue()));
    }
    return s.toString();
  }

  private static String rate(double tokensPerSecond) {
    return tokensPerSecond > 0 ? String.format(Locale.ROOT, " - %,.0f tokens/s", tokensPerSecond) : "";
  }

  /** {@code m:ss} or {@code h:mm:ss}. */
  static String clock(double seconds) {
    long s = Math.round(seconds);
    Duration d = Duration.ofSeconds(s);
    return d.toHours() > 0
        ? String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
        : String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
  }
}
