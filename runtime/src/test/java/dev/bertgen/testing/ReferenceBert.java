package dev.bertgen.testing;

import dev.bertgen.dsl.Activation;
import dev.bertgen.spec.BackboneConfig;
import java.util.Map;

/**
 * keras-hub's BERT math in float64, written for clarity, from Keras-shaped weights: the reference
 * the kernels are checked against. Test code only; the product has no plain-Java forward pass.
 */
public final class ReferenceBert {
  private final BackboneConfig c;
  private final Map<String, float[]> w;

  public ReferenceBert(BackboneConfig config, Map<String, float[]> kerasWeights) {
    this.c = config;
    this.w = kerasWeights;
  }

  /** Sequence output (B, S, H). */
  public double[][][] sequenceOutput(int[][] ids, int[][] segments, int[][] mask) {
    int batch = ids.length;
    int seq = ids[0].length;
    int h = c.hiddenDim();
    double[][][] x = new double[batch][seq][h];
    float[] tok = w.get("token_embedding/embeddings");
    float[] pos = w.get("position_embedding/embeddings");
    float[] seg = w.get("segment_embedding/embeddings");
    for (int b = 0; b < batch; b++) {
      for (int s = 0; s < seq; s++) {
        for (int k = 0; k < h; k++) {
          x[b][s][k] = ((double) tok[ids[b][s] * h + k] + pos[s * h + k]) + seg[segments[b][s] * h + k];
        }
        x[b][s] = layerNorm(x[b][s], "embeddings_layer_norm", c.layerNormEpsilon());
      }
    }
    for (int l = 0; l < c.numLayers(); l++) {
      String p = "transformer_layer_" + l + "/";
      for (int b = 0; b < batch; b++) {
        double[][] attn = attention(x[b], mask[b], p + "self_attention_layer/");
        for (int s = 0; s < seq; s++) {
          double[] y = add(x[b][s], attn[s]);
          x[b][s] = layerNorm(y, p + "self_attention_layer_norm", c.layerNormEpsilon());
          double[] f = dense(x[b][s], p + "feedforward_intermediate_dense", c.intermediateDim());
          for (int i = 0; i < f.length; i++) {
            f[i] = activate(f[i], c.hiddenActivation());
          }
          double[] o = dense(f, p + "feedforward_output_dense", h);
          x[b][s] = layerNorm(add(x[b][s], o), p + "feedforward_layer_norm", c.layerNormEpsilon());
        }
      }
    }
    return x;
  }

  /** Pooled output (B, H) from a sequence output. */
  public double[][] pooled(double[][][] seq) {
    double[][] out = new double[seq.length][];
    for (int b = 0; b < seq.length; b++) {
      out[b] = dense(seq[b][0], "pooled_dense", c.hiddenDim());
      for (int i = 0; i < out[b].length; i++) {
        out[b][i] = Math.tanh(out[b][i]);
      }
    }
    return out;
  }

  /** Masked-LM logits (B, M, V) at {@code positions}. */
  public double[][][] logits(double[][][] seq, int[][] positions) {
    int v = c.vocabularySize();
    int h = c.hiddenDim();
    float[] emb = w.get("token_embedding/embeddings");
    float[] bias = w.get("mlm_head/output_bias");
    double[][][] out = new double[seq.length][positions[0].length][v];
    for (int b = 0; b < seq.length; b++) {
      for (int j = 0; j < positions[b].length; j++) {
        double[] g = dense(seq[b][positions[b][j]], "mlm_head/intermediate_dense", h);
        for (int i = 0; i < h; i++) {
          g[i] = activate(g[i], c.mlmHeadActivation());
        }
        g = layerNorm(g, "mlm_head/intermediate_layer_norm", c.mlmHeadLayerNormEpsilon());
        for (int t = 0; t < v; t++) {
          double acc = bias[t];
          for (int i = 0; i < h; i++) {
            acc += g[i] * emb[t * h + i];
          }
          out[b][j][t] = acc;
        }
      }
    }
    return out;
  }

  private double[][] attention(double[][] x, int[] mask, String p) {
    int seq = x.length;
    int h = c.hiddenDim();
    int heads = c.numHeads();
    int dh = c.headDim();
    double[][] q = new double[seq][];
    double[][] k = new double[seq][];
    double[][] v = new double[seq][];
    for (int s = 0; s < seq; s++) {
      q[s] = dense(x[s], p + "query", h);
      k[s] = dense(x[s], p + "key", h);
      v[s] = dense(x[s], p + "value", h);
    }
    double scale = 1.0 / Math.sqrt(dh);
    double[][] ctx = new double[seq][h];
    for (int n = 0; n < heads; n++) {
      for (int i = 0; i < seq; i++) {
        double[] scores = new double[seq];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < seq; j++) {
          double s = 0;
          for (int d = 0; d < dh; d++) {
            s += q[i][n * dh + d] * scale * k[j][n * dh + d];
          }
          scores[j] = mask[j] == 0 ? -1e9 : s;
          max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j < seq; j++) {
          scores[j] = Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (int j = 0; j < seq; j++) {
          double pj = mask[j] == 0 ? 0 : scores[j] / sum;
          for (int d = 0; d < dh; d++) {
            ctx[i][n * dh + d] += pj * v[j][n * dh + d];
          }
        }
      }
    }
    double[][] out = new double[seq][];
    for (int s = 0; s < seq; s++) {
      out[s] = dense(ctx[s], p + "attention_output", h);
    }
    return out;
  }

  /** {@code x·kernel + bias} with the Keras kernel flattened to (in, out). */
  private double[] dense(double[] x, String layer, int outSize) {
    float[] kernel = w.get(layer + "/kernel");
    float[] bias = w.get(layer + "/bias");
    double[] y = new double[outSize];
    for (int o = 0; o < outSize; o++) {
      double acc = bias[o];
      for (int i = 0; i < x.length; i++) {
        acc += x[i] * kernel[i * outSize + o];
      }
      y[o] = acc;
    }
    return y;
  }

  private double[] layerNorm(double[] x, String layer, double eps) {
    float[] gamma = w.get(layer + "/gamma");
    float[] beta = w.get(layer + "/beta");
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (double v : x) {
      var += (v - mean) * (v - mean);
    }
    var /= x.length;
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (x[i] - mean) / Math.sqrt(var + eps) * gamma[i] + beta[i];
    }
    return y;
  }

  private static double[] add(double[] a, double[] b) {
    double[] y = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      y[i] = a[i] + b[i];
    }
    return y;
  }

  /** keras' activations in float64. */
  public static double activate(double x, Activation a) {
    return switch (a) {
      case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
      case GELU_APPROXIMATE -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    };
  }

  /**
   * erf to about 1e-15: {@code (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(2n+1)!!}, a series of positive terms
   * (no cancellation), for |x| ≤ 6; ±1 beyond (erfc(6) ≈ 2e-17).
   */
  public static double erf(double x) {
    double ax = Math.abs(x);
    if (ax > 6) {
      return Math.signum(x);
    }
    double term = ax;
    double sum = ax;
    for (int n = 1; n < 400; n++) {
      term *= 2 * ax * ax / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) {
        break;
      }
    }
    double r = 2 / Math.sqrt(Math.PI) * Math.exp(-ax * ax) * sum;
    return x < 0 ? -r : r;
  }

  /** ‖a − b‖ / ‖b‖ over all elements. */
  public static double relativeError(float[][][] a, double[][][] b) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < b.length; i++) {
      for (int j = 0; j < b[i].length; j++) {
        for (int k = 0; k < b[i][j].length; k++) {
          double d = a[i][j][k] - b[i][j][k];
          num += d * d;
          den += b[i][j][k] * b[i][j][k];
        }
      }
    }
    return Math.sqrt(num / den);
  }

  public static double relativeError(float[][] a, double[][] b) {
    return relativeError(new float[][][] {a}, new double[][][] {b});
  }
}
