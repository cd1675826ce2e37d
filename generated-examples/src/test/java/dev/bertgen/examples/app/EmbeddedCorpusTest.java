package dev.bertgen.examples.app;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The embedded corpus, its split and the packing of lines into training examples. */
class EmbeddedCorpusTest {

  /** One token per word. */
  private static int words(String line) {
    return line.split(" ").length;
  }

  @Test
  void packJoinsConsecutiveLinesUpToTheBudget() {
    List<String> lines = List.of("a b c", "d e", "f g h i", "j", "k l m n o p q r s t u");
    // budget 7: "a b c ; d e" is 3 + 1 + 2 = 6; adding "f g h i" would make 11
    assertThat(EmbeddedCorpus.pack(lines, EmbeddedCorpusTest::words, 7))
        .containsExactly("a b c ; d e", "f g h i ; j", "k l m n o p q r s t u").inOrder();
    // budget 1: every line alone, the long one too (the packer truncates it)
    assertThat(EmbeddedCorpus.pack(lines, EmbeddedCorpusTest::words, 1)).isEqualTo(lines);
    assertThat(EmbeddedCorpus.pack(List.of(), EmbeddedCorpusTest::words, 7)).isEmpty();
    assertThrows(IllegalArgumentException.class, () -> EmbeddedCorpus.pack(lines, EmbeddedCorpusTest::words, 0));
  }

  @Test
  void splitIsDisjointAndCoversTheCorpus() {
    List<String> lines = EmbeddedCorpus.lines();
    assertThat(lines.size()).isEqualTo(165_906);
    EmbeddedCorpus.Split split = EmbeddedCorpus.split(lines, 512, 42);
    assertThat(split.heldOut()).hasSize(512);
    assertThat(split.train()).hasSize(lines.size() - 512);
    // together the two halves are the corpus, line for line (as multisets)
    Map<String, Integer> counts = new HashMap<>();
    lines.forEach(l -> counts.merge(l, 1, Integer::sum));
    Map<String, Integer> halves = new HashMap<>();
    split.train().forEach(l -> halves.merge(l, 1, Integer::sum));
    split.heldOut().forEach(l -> halves.merge(l, 1, Integer::sum));
    assertThat(halves).isEqualTo(counts);
    // a text in both halves is one WordNet has more than once (a gloss shared by two synsets)
    Set<String> heldOut = new HashSet<>(split.heldOut());
    for (String shared : split.train().stream().filter(heldOut::contains).toList()) {
      assertWithMessage("%s is in both halves", shared).that(counts.get(shared)).isAtLeast(2);
    }
    assertThat(EmbeddedCorpus.split(lines, 512, 42)).isEqualTo(split);
  }
}
