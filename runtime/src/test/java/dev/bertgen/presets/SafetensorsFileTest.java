package dev.bertgen.presets;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bertgen.presets.formats.SafetensorsFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors reader on small hand-made files. */
class SafetensorsFileTest {
  @TempDir Path tmp;

  private static byte[] littleEndian(int width, long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      switch (width) {
        case 2 -> b.putShort((short) v);
        case 4 -> b.putInt((int) v);
        default -> b.putLong(v);
      }
    }
    return b.array();
  }

  @Test
  void readsF32AndConvertsF16Bf16AndF64() {
    Path f = tmp.resolve("t.safetensors");
    new SafetensorsWriter()
        .put("f32", SafetensorsWriter.Tensor.f32(new long[] {2, 2}, new float[] {1f, -2.5f, 3e-3f, 7f}))
        // half: 1.0, -2.0, 65504 (max), 2^-24 (smallest subnormal), +inf
        .put("f16", new SafetensorsWriter.Tensor("F16", new long[] {5},
            littleEndian(2, 0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00)))
        // bfloat16: the upper halves of 1.5f and -0.15625f
        .put("bf16", new SafetensorsWriter.Tensor("BF16", new long[] {2},
            littleEndian(2, Float.floatToIntBits(1.5f) >>> 16, Float.floatToIntBits(-0.15625f) >>> 16)))
        .put("f64", new SafetensorsWriter.Tensor("F64", new long[] {1},
            littleEndian(8, Double.doubleToLongBits(0.1))))
        .write(f);
    try (SafetensorsFile s = SafetensorsFile.open(f)) {
      assertThat(s.keys()).containsExactly("f32", "f16", "bf16", "f64").inOrder();
      assertThat(s.read("f32", new int[] {2, 2}, "a")).isEqualTo(new float[] {1f, -2.5f, 3e-3f, 7f});
      assertThat(s.read("f16", new int[] {5}, "b"))
          .isEqualTo(new float[] {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY});
      assertThat(s.read("bf16", new int[] {2}, "c")).isEqualTo(new float[] {1.5f, -0.15625f});
      assertThat(s.read("f64", new int[] {1}, "d")).isEqualTo(new float[] {0.1f});
      s.requireComplete();
    }
  }

  @Test
  void shapeMismatchNamesKeyVariableAndShapes() {
    Path f = tmp.resolve("t.safetensors");
    new SafetensorsWriter().put("w", SafetensorsWriter.Tensor.f32(new long[] {2, 3}, new float[6])).write(f);
    try (SafetensorsFile s = SafetensorsFile.open(f)) {
      PresetException e = assertThrows(PresetException.class, () -> s.read("w", new int[] {3, 2}, "k/kernel"));
      assertThat(e.getMessage()).contains(f + ": tensor w (Keras variable k/kernel) has the wrong shape: "
          + "expected (3, 2), found (2, 3)");
    }
  }

  @Test
  void notASafetensorsFileIsRefused() throws IOException {
    Path f = tmp.resolve("t.safetensors");
    Files.writeString(f, "this is not a safetensors file at all");
    PresetException e = assertThrows(PresetException.class, () -> SafetensorsFile.open(f));
    assertThat(e.getMessage()).contains("is not a safetensors file");
  }

  @Test
  void offsetsThatDoNotFitTheShapeAreRefused() throws IOException {
    Path f = tmp.resolve("t.safetensors");
    byte[] header = "{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 8]}}"
        .getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header);
    Files.write(f, b.array());
    PresetException e = assertThrows(PresetException.class, () -> SafetensorsFile.open(f));
    assertThat(e.getMessage()).contains("damaged header: tensor w (F32, shape (4,)) has data_offsets [0,8]");
  }

  @Test
  void halfPrecisionEdgeCases() {
    assertThat(SafetensorsFile.halfToFloat((short) 0x8000)).isEqualTo(-0f);
    assertThat(SafetensorsFile.halfToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
    assertThat(Float.isNaN(SafetensorsFile.halfToFloat((short) 0x7E00))).isTrue();
    assertThat(SafetensorsFile.halfToFloat((short) 0x3555)).isWithin(1e-4f).of(1f / 3);
  }
}
