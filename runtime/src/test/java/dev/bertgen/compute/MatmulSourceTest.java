package dev.bertgen.compute;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.spec.codegen.MatmulSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;

/**
 * The register-blocked product has one source, {@link MatmulSource}: ProductKernels.java must be
 * exactly its {@link MatmulSource#productKernels()} text, the whole file. Run with
 * {@code BERTGEN_UPDATE_GOLDENS=true} to rewrite the file instead of comparing.
 */
class MatmulSourceTest {
  private static final Path SOURCE = Path.of(MatmulSource.PRODUCT_KERNELS_PATH);

  @Test
  void productKernelsIsTheGeneratedFile() throws IOException {
    String expected = MatmulSource.productKernels();
    if ("true".equals(System.getenv("BERTGEN_UPDATE_GOLDENS"))) {
      Path tmp = SOURCE.resolveSibling(SOURCE.getFileName() + ".tmp");
      Files.writeString(tmp, expected, StandardCharsets.UTF_8);
      Files.move(tmp, SOURCE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    String current = Files.readString(SOURCE, StandardCharsets.UTF_8);
    assertWithMessage("%s differs from MatmulSource.productKernels(); run the runtime's MatmulSourceTest "
        + "with BERTGEN_UPDATE_GOLDENS=true", SOURCE).that(current).isEqualTo(expected);
  }

  @Test
  void noHandWrittenKernelFileHoldsGeneratedCode() throws IOException {
    for (String name : new String[] {"KernelArguments", "ForwardKernels", "TrainingKernels", "BertKernels"}) {
      Path file = SOURCE.resolveSibling(name + ".java");
      String text = Files.readString(file, StandardCharsets.UTF_8);
      assertWithMessage("%s holds generated code (move it to MatmulSource)", file).that(text)
          .doesNotContain("GENERATED");
      assertWithMessage("%s holds the generated block", file).that(text).doesNotContain("acc0_0");
    }
  }
}
