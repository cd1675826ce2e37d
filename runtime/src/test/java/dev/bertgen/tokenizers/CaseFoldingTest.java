package dev.bertgen.tokenizers;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NFKC_Casefold, checked against values derived by hand from CaseFolding.txt and NFKC. */
class CaseFoldingTest {

  @ParameterizedTest(name = "{2}")
  @CsvSource(delimiter = '|', value = {
      "THE Quick|the quick|ASCII",
      "ＴＨＥ ｑｕｉｃｋ|the quick|full-width letters (NFKC)",
      "ﬁsh ﬀ ﬃ|fish ff ffi|ligatures (NFKC)",
      "Straße STRASSE|strasse strasse|sharp s folds to ss",
      "ẞ|ss|capital sharp s",
      "ΟΔΟΣ οδος|οδοσ οδοσ|final sigma folds to sigma",
      "İ|i̇|capital I with dot above keeps the dot",
      "ı|ı|dotless i has no folding",
      "ǅ Ǆ|dž dž|digraphs: NFKC splits them",
      "ᾳ ᾼ|αι αι|iota subscript folds to iota",
      "ŉ|ʼn|n preceded by apostrophe",
      "µ ſ|μ s|micro sign and long s",
      "K Å|k å|Kelvin and Angstrom signs",
      "㎒ ①|mhz 1|compatibility forms",
      "ꭰ Ꭰ ᏸ|Ꭰ Ꭰ Ᏸ|Cherokee folds to capitals",
      "Café CAFÉ|café café|accents are kept",
      "e\u0301|é|composed by NFKC",
  })
  void folds(String input, String expected, String what) {
    assertThat(CaseFolding.nfkcCasefold(input)).isEqualTo(expected);
  }

  @Test
  void removesDefaultIgnorables() {
    assertThat(CaseFolding.nfkcCasefold("fox\uFE0F")).isEqualTo("fox"); // variation selector 16
    assertThat(CaseFolding.nfkcCasefold("a\u00ADb\u200Dc\u034Fd")).isEqualTo("abcd");
    assertThat(CaseFolding.nfkcCasefold("\u3164")).isEmpty(); // Hangul filler
  }

  @Test
  void isIdempotent() {
    for (String s : new String[] {"ΣΑΣ", "ǅungla", "ﬃ", "İstanbul", "ᾼ", "ŉ", "㎒"}) {
      String once = CaseFolding.nfkcCasefold(s);
      assertThat(CaseFolding.nfkcCasefold(once)).isEqualTo(once);
    }
  }
}
