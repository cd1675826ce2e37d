package dev.bertgen.examples.app;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A masked-LM loss curve as a PNG: the loss of every training batch (thin), its moving average
 * (thick) and the held-out loss (dots), against the optimizer step; drawn with Java2D, headless.
 */
final class LossCurve {

  /** One point: the optimizer step and a loss in nats per masked token. */
  record Point(long step, double loss) {}

  private final String title;
  private final List<Point> train = new ArrayList<>();
  private final List<Point> heldOut = new ArrayList<>();
  private double reference = Double.NaN;
  private String referenceLabel;

  LossCurve(String title) {
    this.title = title;
  }

  void addTrain(long step, double loss) {
    if (Double.isFinite(loss)) {
      train.add(new Point(step, loss));
    }
  }

  void addHeldOut(long step, double loss) {
    if (Double.isFinite(loss)) {
      heldOut.add(new Point(step, loss));
    }
  }

  /** A horizontal dashed line, e.g. ln(vocabulary size): the loss of a uniform guess. */
  void reference(double loss, String label) {
    this.reference = loss;
    this.referenceLabel = label;
  }

  List<Point> train() {
    return List.copyOf(train);
  }

  List<Point> heldOut() {
    return List.copyOf(heldOut);
  }

  /** Writes the PNG through a temporary file renamed into place. */
  void write(Path file) {
    BufferedImage image = render(960, 560);
    Path absolute = file.toAbsolutePath();
    Path tmp = absolute.resolveSibling(absolute.getFileName() + ".tmp");
    try {
      Files.createDirectories(absolute.getParent());
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer in this Java runtime");
      }
      Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the loss curve " + file + ": " + e.getMessage(), e);
    }
  }

  BufferedImage render(int width, int height) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    int left = 70;
    int right = width - 20;
    int top = 50;
    int bottom = height - 55;

    long maxStep = 1;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (List<Point> series : List.of(train, heldOut)) {
      for (Point p : series) {
        maxStep = Math.max(maxStep, p.step());
        lo = Math.min(lo, p.loss());
        hi = Math.max(hi, p.loss());
      }
    }
    if (Double.isFinite(reference)) {
      lo = Math.min(lo, reference);
      hi = Math.max(hi, reference);
    }
    if (!(lo < hi)) {
      lo = Double.isFinite(lo) ? lo - 1 : 0;
      hi = lo + 2;
    }
    double yMin = Math.floor(lo);
    double yMax = Math.ceil(hi);
    double yStep = niceStep((yMax - yMin) / 6);
    long xStep = Math.max(1, (long) niceStep(maxStep / 8.0));

    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();
    // grid and ticks
    g.setStroke(new BasicStroke(1f));
    for (double y = yMin; y <= yMax + 1e-9; y += yStep) {
      int py = yPixel(y, yMin, yMax, top, bottom);
      g.setColor(new Color(230, 230, 230));
      g.drawLine(left, py, right, py);
      g.setColor(Color.DARK_GRAY);
      String label = String.format(Locale.ROOT, yStep < 1 ? "%.1f" : "%.0f", y);
      g.drawString(label, left - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
    }
    for (long x = 0; x <= maxStep; x += xStep) {
      int px = xPixel(x, maxStep, left, right);
      g.setColor(new Color(230, 230, 230));
      g.drawLine(px, top, px, bottom);
      g.setColor(Color.DARK_GRAY);
      String label = Long.toString(x);
      g.drawString(label, px - fm.stringWidth(label) / 2, bottom + fm.getAscent() + 6);
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, right - left, bottom - top);
    g.drawString("optimizer step", (left + right - fm.stringWidth("optimizer step")) / 2, height - 12);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    String yLabel = "masked-LM loss (nats per masked token)";
    rotated.drawString(yLabel, -(top + bottom + fm.stringWidth(yLabel)) / 2, 18);
    rotated.dispose();
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, left, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));

    g.setClip(left + 1, top + 1, right - left - 1, bottom - top - 1);
    if (Double.isFinite(reference)) {
      int py = yPixel(reference, yMin, yMax, top, bottom);
      g.setColor(Color.GRAY);
      g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 5f}, 0f));
      g.drawLine(left, py, right, py);
      g.drawString(referenceLabel, right - 8 - fm.stringWidth(referenceLabel), py - 5);
    }
    g.setColor(new Color(120, 160, 220));
    g.setStroke(new BasicStroke(1f));
    g.draw(polyline(train, maxStep, yMin, yMax, left, right, top, bottom));
    g.setColor(new Color(20, 70, 170));
    g.setStroke(new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(polyline(movingAverage(train, 15), maxStep, yMin, yMax, left, right, top, bottom));
    g.setColor(new Color(210, 80, 30));
    for (Point p : heldOut) {
      int px = xPixel(p.step(), maxStep, left, right);
      int py = yPixel(p.loss(), yMin, yMax, top, bottom);
      g.fillOval(px - 5, py - 5, 10, 10);
    }
    g.setClip(null);

    // legend
    int lx = right - 250;
    int ly = top + 16;
    g.setColor(new Color(20, 70, 170));
    g.setStroke(new BasicStroke(2.5f));
    g.drawLine(lx, ly, lx + 24, ly);
    g.setColor(Color.BLACK);
    g.drawString("training batches (moving average)", lx + 30, ly + 5);
    g.setColor(new Color(210, 80, 30));
    g.fillOval(lx + 7, ly + 15, 10, 10);
    g.setColor(Color.BLACK);
    g.drawString("held-out text", lx + 30, ly + 25);
    g.dispose();
    return image;
  }

  private static Path2D polyline(List<Point> points, long maxStep, double yMin, double yMax, int left, int right,
      int top, int bottom) {
    Path2D.Double path = new Path2D.Double();
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      double x = left + (double) p.step() / maxStep * (right - left);
      double y = bottom - (p.loss() - yMin) / (yMax - yMin) * (bottom - top);
      if (i == 0) {
        path.moveTo(x, y);
      } else {
        path.lineTo(x, y);
      }
    }
    return path;
  }

  static List<Point> movingAverage(List<Point> points, int window) {
    List<Point> out = new ArrayList<>(points.size());
    double sum = 0;
    for (int i = 0; i < points.size(); i++) {
      sum += points.get(i).loss();
      if (i >= window) {
        sum -= points.get(i - window).loss();
      }
      out.add(new Point(points.get(i).step(), sum / Math.min(i + 1, window)));
    }
    return out;
  }

  private static int xPixel(long step, long maxStep, int left, int right) {
    return (int) Math.round(left + (double) step / maxStep * (right - left));
  }

  private static int yPixel(double loss, double yMin, double yMax, int top, int bottom) {
    return (int) Math.round(bottom - (loss - yMin) / (yMax - yMin) * (bottom - top));
  }

  private static double niceStep(double raw) {
    if (!(raw > 0)) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double r = raw / magnitude;
    double nice = r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10;
    return nice * magnitude;
  }
}
