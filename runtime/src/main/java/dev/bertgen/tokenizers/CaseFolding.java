package dev.bertgen.tokenizers;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Unicode NFKC_Casefold (ICU's {@code NFKC_Casefold}, what tf-text's {@code case_fold_utf8} and so
 * keras-hub's {@code lowercase=True} apply to each word), built from {@link Normalizer} and the
 * JDK's case mappings: NFKC, then full case folding with default-ignorable code points removed, then
 * NFKC again.
 *
 * <p>Full case folding is computed per code point as lowercase-of-uppercase ({@code "ß"} →
 * {@code "SS"} → {@code "ss"}, {@code "ς"} → {@code "σ"}, {@code "ﬀ"} → {@code "ff"}), with the
 * code points where that differs from Unicode's CaseFolding.txt handled explicitly: capital I with
 * dot above folds to "i̇", dotless i keeps its form, capital sharp s folds to "ss", and Cherokee
 * small letters fold to capitals.
 */
final class CaseFolding {
  private CaseFolding() {}

  /** NFKC_Casefold of {@code s}. */
  static String nfkcCasefold(String s) {
    if (isAscii(s)) {
      return asciiLower(s);
    }
    String nfkc = Normalizer.normalize(s, Normalizer.Form.NFKC);
    StringBuilder folded = new StringBuilder(nfkc.length() + 8);
    for (int i = 0; i < nfkc.length(); ) {
      int cp = nfkc.codePointAt(i);
      i += Character.charCount(cp);
      if (!isDefaultIgnorable(cp)) {
        appendFolded(folded, cp);
      }
    }
    return Normalizer.normalize(folded, Normalizer.Form.NFKC);
  }

  private static void appendFolded(StringBuilder out, int cp) {
    if (cp < 0x80) {
      out.append((char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
    } else if (cp == 0x0130) {
      out.append("i\u0307"); // capital I with dot above: full folding keeps the dot
    } else if (cp == 0x0131) {
      out.append((char) cp); // dotless i has no case folding
    } else if (cp == 0x1E9E) {
      out.append("ss"); // capital sharp s
    } else if (cp >= 0x13A0 && cp <= 0x13F5) {
      out.append((char) cp); // Cherokee capitals are the folded form
    } else if (cp >= 0x13F8 && cp <= 0x13FD) {
      out.append((char) (cp - 8)); // Cherokee small letters fold to capitals
    } else if (cp >= 0xAB70 && cp <= 0xABBF) {
      out.append((char) (cp - 0xAB70 + 0x13A0));
    } else {
      // Full uppercase first, so "ᾼ" (whose simple lowercase is "ᾳ") folds to "αι" as well.
      String one = new String(Character.toChars(cp));
      out.append(one.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT));
    }
  }

  /** Unicode's Default_Ignorable_Code_Point, which NFKC_Casefold removes. */
  static boolean isDefaultIgnorable(int cp) {
    if (cp < 0xAD) {
      return false;
    }
    return cp == 0xAD || cp == 0x34F || cp == 0x61C || cp == 0x115F || cp == 0x1160
        || cp == 0x17B4 || cp == 0x17B5 || (cp >= 0x180B && cp <= 0x180F)
        || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F)
        || cp == 0xFEFF || cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFF8)
        || (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A)
        || (cp >= 0xE0000 && cp <= 0xE0FFF);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static String asciiLower(String s) {
    char[] c = s.toCharArray();
    for (int i = 0; i < c.length; i++) {
      if (c[i] >= 'A' && c[i] <= 'Z') {
        c[i] += 32;
      }
    }
    return new String(c);
  }
}
