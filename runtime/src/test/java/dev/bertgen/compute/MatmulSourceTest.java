package dev.bertgen.compute;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.bertgen.spec.codegen.MatmulSource;
import dev.bertgen.spec.codegen.TiledMatmulSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;

/**
 * The products have one source each: ProductKernels.java must be exactly
 * {@link MatmulSource#productKernels()}, and TiledProductKernels.java (the GPU family's)
 * {@link TiledMatmulSource#tiledProductKernels()}, whole files. Run with
 * {@code BERTGEN_UPDATE_GOLDENS=true} to rewrite the files instead of comparing.
 */
class MatmulSourceTest {
  private static final Path SOURCE = Path.of(MatmulSource.PRODUCT_KERNELS_PATH);

  @Test
  void productKernelsIsTheGeneratedFile() throws IOException {
    compareOrUpdate(SOURCE, MatmulSource.productKernels(), "MatmulSource.productKernels()");
  }

  @Test
  void tiledProductKernelsIsTheGeneratedFile() throws IOException {
    compareOrUpdate(Path.of(TiledMatmulSource.TILED_PRODUCT_KERNELS_PATH), TiledMatmulSource.tiledProductKernels(),
        "TiledMatmulSource.tiledProductKernels()");
  }

  private static void compareOrUpdate(Path source, String expected, String generator) throws IOException {
    if ("true".equals(System.getenv("BERTGEN_UPDATE_GOLDENS"))) {
      Path tmp = source.resolveSibling(source.getFileName() + ".tmp");
      Files.writeString(tmp, expected, StandardCharsets.UTF_8);
      Files.move(tmp, source, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    String current = Files.readString(source, StandardCharsets.UTF_8);
    assertWithMessage("%s differs from %s; run the runtime's MatmulSourceTest with BERTGEN_UPDATE_GOLDENS=true",
        source, generator).that(current).isEqualTo(expected);
  }

  @Test
  void noHandWrittenKernelFileHoldsGeneratedCode() throws IOException {
    for (String name : new String[] {"KernelArguments", "ForwardKernels", "TrainingKernels", "BertKernels",
        "GpuBertKernels", "GenericGpuKernels"}) {
      Path file = SOURCE.resolveSibling(name + ".java");
      String text = Files.readString(file, StandardCharsets.UTF_8);
      assertWithMessage("%s holds generated code (move it to MatmulSource)", file).that(text)
          .doesNotContain("GENERATED");
      assertWithMessage("%s holds the generated block", file).that(text).doesNotContain("acc0_0");
    }
  }
}
