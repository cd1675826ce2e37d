"""The keras-hub peer of BertGen's CPU benchmark: keras-hub's own BertMaskedLM (Keras 3, JAX backend, XLA jit)
for the bert_tiny shape (vocabulary 30522, 2 layers, 2 heads, hidden 128, intermediate 512), predict_on_batch at
batch 8 x 128 with 20 mask slots (every position real, token ids uniform in [1000, 30000)): the recipe
CpuBenchmark's "masked-LM predict" rows use. Prints one line: keras_hub_predict_ms=<median of 7 after 2 warm-up>.

Needs keras, jax and keras-hub's source on PYTHONPATH (see benchmarks/cpu/README.md)."""
import os
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax  # noqa: E402
import numpy as np  # noqa: E402
from keras_hub.src.models.bert.bert_backbone import BertBackbone  # noqa: E402
from keras_hub.src.models.bert.bert_masked_lm import BertMaskedLM  # noqa: E402

BATCH, SEQ, SLOTS, WARMUP, RUNS = 8, 128, 20, 2, 7

backbone = BertBackbone(vocabulary_size=30522, num_layers=2, num_heads=2, hidden_dim=128, intermediate_dim=512)
model = BertMaskedLM(backbone, preprocessor=None)
model.compile(jit_compile=True)
rng = np.random.default_rng(1)
inputs = {
    "token_ids": rng.integers(1000, 30000, (BATCH, SEQ)).astype("int32"),
    "segment_ids": np.zeros((BATCH, SEQ), "int32"),
    "padding_mask": np.ones((BATCH, SEQ), "int32"),
    "mask_positions": np.stack([np.sort(rng.choice(np.arange(1, SEQ - 1), SLOTS, replace=False))
                                for _ in range(BATCH)]).astype("int32"),
}
times = []
for i in range(WARMUP + RUNS):
    start = time.perf_counter()
    logits = model.predict_on_batch(inputs)
    elapsed = time.perf_counter() - start
    if i >= WARMUP:
        times.append(elapsed * 1000)
assert logits.shape == (BATCH, SLOTS, 30522), logits.shape
times.sort()
print(f"keras-hub BertMaskedLM (JAX {jax.__version__}, XLA, CPU) predict_on_batch {BATCH}x{SEQ}, {SLOTS} slots: "
      f"keras_hub_predict_ms={times[RUNS // 2]:.2f}", flush=True)
