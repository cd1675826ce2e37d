package dev.bertgen.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean" suggestions by edit distance. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidates closest to {@code input}, best first: those within a third of the input's length
   * in edit distance, or sharing a prefix or substring with it; at most {@code max}.
   */
  public static List<String> closest(String input, Collection<String> candidates, int max) {
    String in = input.toLowerCase(Locale.ROOT);
    record Scored(String name, int distance) {}
    List<Scored> scored = new ArrayList<>();
    for (String c : candidates) {
      String lc = c.toLowerCase(Locale.ROOT);
      int d = distance(in, lc);
      boolean related = !in.isEmpty() && (lc.contains(in) || in.contains(lc));
      if (d <= Math.max(2, in.length() / 3) || related) {
        scored.add(new Scored(c, related ? Math.min(d, 1 + Math.abs(lc.length() - in.length()) / 4) : d));
      }
    }
    scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < scored.size() && i < max; i++) {
      out.add(scored.get(i).name());
    }
    return out;
  }

  /** {@code ; did you mean "x"?} or {@code ""} when nothing is close. */
  public static String didYouMean(String input, Collection<String> candidates) {
    List<String> best = closest(input, candidates, 1);
    return best.isEmpty() ? "" : "; did you mean \"" + best.get(0) + "\"?";
  }

  /** Levenshtein distance. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
