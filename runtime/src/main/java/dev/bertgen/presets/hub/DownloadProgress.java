package dev.bertgen.presets.hub;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress of one download. With a console ({@code System.console() != null}, or
 * {@link HubSettings#withProgress}) it is a single line on standard error, rewritten in place with a
 * carriage return at most five times a second; otherwise nothing is shown while the file arrives and
 * the downloader logs one line when it is done.
 */
public final class DownloadProgress {
  private static final long INTERVAL_NANOS = 200_000_000L;

  private final boolean interactive;
  private final PrintStream out;
  private final String label;
  private final Long total;
  private final long startBytes;
  private final long startNanos = System.nanoTime();
  private long lastPrint;
  private int lastWidth;

  DownloadProgress(HubSettings settings, String label, Long total, long startBytes) {
    this.interactive = settings.interactiveProgress();
    this.out = settings.progressStream();
    this.label = label;
    this.total = total;
    this.startBytes = startBytes;
    if (interactive) {
      print(startBytes, false);
    }
  }

  void advance(long bytes) {
    if (!interactive) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastPrint >= INTERVAL_NANOS) {
      print(bytes, false);
    }
  }

  void finished(long bytes) {
    if (interactive) {
      print(bytes, true);
    }
  }

  void interrupted() {
    if (interactive) {
      out.print("\n");
      out.flush();
    }
  }

  private void print(long bytes, boolean done) {
    lastPrint = System.nanoTime();
    double seconds = Math.max(1e-3, (lastPrint - startNanos) / 1e9);
    double rate = (bytes - startBytes) / seconds;
    StringBuilder line = new StringBuilder("Downloading ").append(label).append(": ");
    if (total != null && total > 0) {
      line.append(String.format(Locale.ROOT, "%3d%% ", Math.min(100, bytes * 100 / total)))
          .append(bytes(bytes)).append(" / ").append(bytes(total));
    } else {
      line.append(bytes(bytes));
    }
    line.append(String.format(Locale.ROOT, ", %s/s", bytes((long) rate)));
    if (done) {
      line.append(", done");
    }
    int width = line.length();
    while (line.length() < lastWidth) {
      line.append(' ');
    }
    lastWidth = width;
    out.print("\r" + line + (done ? "\n" : ""));
    out.flush();
  }

  /** A byte count as people read it: 512 B, 3.4 KiB, 417.7 MiB, 1.3 GiB. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
