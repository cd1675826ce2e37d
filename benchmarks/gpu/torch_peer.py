#!/usr/bin/env python3
"""The PyTorch peer of BertGen's GPU benchmark, and the report.

Reads what dev.bertgen.benchmarks.GpuBenchmark wrote (bertgen.tsv, products.tsv, memory.tsv) in the results
folder, times PyTorch on the same GPU at the same shapes, and writes gpu-benchmark.md there with every ratio
(BertGen time / PyTorch time; lower is better).

PyTorch side: Hugging Face transformers' BERT (post-LayerNorm, GELU, vocabulary 30522, 512 positions, 2 segment
types), fp32, eager mode, TF32 off (torch.backends.*.allow_tf32 = False), CUDA events around each call after
warm-up, median. Two forms of the masked-LM model:
  - "keras-hub head": BertModel, then the masked-LM head (BertOnlyMLMHead) on the rows of the 20 mask slots only,
    weighted cross-entropy: the work BertGen's BertMaskedLM does (keras-hub's head gathers the mask positions);
  - "BertForMaskedLM": Hugging Face's model as users call it, logits at every position (reference only).
backbone = BertModel's forward (BertGen: backbone().call), both outputs copied to host memory as BertGen returns
them; forward = the masked-LM forward pass and the loss, no gradient (model.eval()); training step = train mode (dropout 0.1),
forward, loss, backward, Adam(lr 1e-3, eps 1e-7) step, at the batch BertGen trained at. Products: torch.matmul
(cuBLAS) on each product shape BertGen launched, transposed operands where BertGen reads them transposed.

Usage: torch_peer.py RESULTS_DIR [--dry-run]   (--dry-run: no torch; writes the report with BertGen's side only)
"""
import csv
import datetime
import os
import statistics
import subprocess
import sys

SIZES = {  # name: (layers, hidden, heads, intermediate)
    "bert_tiny": (2, 128, 2, 512),
    "bert_base": (12, 768, 12, 3072),
    "bert_large": (24, 1024, 16, 4096),
}
VOCAB = 30522
WARMUP = 2
STEPS = 8


def read_tsv(path):
    with open(path, newline="") as f:
        lines = [l for l in f if not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def batch_inputs(torch, batch, seq, slots, device, seed=42):
    """keras-hub BertMaskedLMPreprocessor-like batch: [CLS] a [SEP] b [SEP], 50-100 % real tokens, 15 % masked."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.zeros(batch, seq, dtype=torch.long)
    segments = torch.zeros(batch, seq, dtype=torch.long)
    mask = torch.zeros(batch, seq, dtype=torch.long)
    positions = torch.zeros(batch, slots, dtype=torch.long)
    labels = torch.zeros(batch, slots, dtype=torch.long)
    weights = torch.zeros(batch, slots)
    for b in range(batch):
        length = seq // 2 + int(torch.randint(0, seq - seq // 2 + 1, (1,), generator=g))
        sep = 1 + (length - 3) // 2
        ids[b, :length] = torch.randint(1000, VOCAB, (length,), generator=g)
        ids[b, 0], ids[b, sep], ids[b, length - 1] = 101, 102, 102
        segments[b, sep + 1:length] = 1
        mask[b, :length] = 1
        candidates = [p for p in range(1, length - 1) if p != sep]
        n = min(-(-15 * (length - 3) // 100), slots)
        chosen = sorted(candidates[i] for i in torch.randperm(len(candidates), generator=g)[:n].tolist())
        for k, p in enumerate(chosen):
            positions[b, k] = p
            labels[b, k] = ids[b, p]
            weights[b, k] = 1.0
            ids[b, p] = 103
    return [t.to(device) for t in (ids, segments, mask, positions, labels, weights)]


def time_cuda(torch, fn, warmup=WARMUP, steps=STEPS):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(steps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times), min(times), max(times)


def peer_config(transformers, name):
    layers, hidden, heads, intermediate = SIZES[name]
    return transformers.BertConfig(vocab_size=VOCAB, hidden_size=hidden, num_hidden_layers=layers,
                                   num_attention_heads=heads, intermediate_size=intermediate,
                                   max_position_embeddings=512, type_vocab_size=2, hidden_act="gelu",
                                   hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1)


def peer_model(torch, transformers, name, device):
    torch.manual_seed(1)
    return transformers.BertForMaskedLM(peer_config(transformers, name)).to(device)


def keras_head_loss(torch, model, ids, segments, mask, positions, labels, weights):
    sequence = model.bert(input_ids=ids, attention_mask=mask, token_type_ids=segments)[0]
    rows = torch.gather(sequence, 1, positions.unsqueeze(-1).expand(-1, -1, sequence.shape[-1]))
    logits = model.cls(rows)
    losses = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1),
                                               reduction="none")
    return (losses * weights.reshape(-1)).sum() / weights.sum()


def full_mlm_loss(torch, model, ids, segments, mask, positions, labels, weights):
    full = torch.full_like(ids, -100)
    full.scatter_(1, positions, torch.where(weights > 0, labels, torch.full_like(labels, -100)))
    return model(input_ids=ids, attention_mask=mask, token_type_ids=segments, labels=full).loss


def time_model(torch, transformers, name, phase, batch, seq, slots, device, head):
    inputs = batch_inputs(torch, batch, seq, slots, device)
    loss_fn = keras_head_loss if head == "keras" else full_mlm_loss
    if phase == "backbone":
        # BertModel with its pooler (BertForMaskedLM's own BertModel has none)
        torch.manual_seed(1)
        model = transformers.BertModel(peer_config(transformers, name)).to(device)
        model.eval()
        ids, segments, mask = inputs[0], inputs[1], inputs[2]

        def step():
            with torch.no_grad():
                out = model(input_ids=ids, attention_mask=mask, token_type_ids=segments)
                # as BertGen's backbone().call: both outputs in host memory
                return float(out[0].cpu()[0, 0, 0]) + float(out[1].cpu()[0, 0])
    elif phase == "forward":
        model = peer_model(torch, transformers, name, device)
        model.eval()

        def step():
            with torch.no_grad():
                return loss_fn(torch, model, *inputs).item()
    else:
        model = peer_model(torch, transformers, name, device)
        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)

        def step():
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(torch, model, *inputs)
            loss.backward()
            optimizer.step()
            return loss.item()
    result = time_cuda(torch, step)
    del model
    torch.cuda.empty_cache()
    return result


def cublas_ms(torch, op, m, n, k, batches, device):
    """torch.matmul on BertGen's product shape; X read transposed for the ops that read it so."""
    transposed_x = op in ("MATMUL_TO_GRADIENTS", "MATMUL_TRANSPOSED_X", "MATMUL_TRANSPOSED_X_PARAMETERS")
    x = torch.randn(batches, k, m, device=device) if transposed_x else torch.randn(batches, m, k, device=device)
    w = torch.randn(batches, k, n, device=device)
    a = x.transpose(1, 2) if transposed_x else x
    if batches == 1:
        a, w = a[0], w[0]
    out = torch.empty(*( (m, n) if batches == 1 else (batches, m, n)), device=device)
    median, _, _ = time_cuda(torch, lambda: torch.matmul(a, w, out=out), warmup=3, steps=20)
    return median


def main():
    results = sys.argv[1]
    dry = "--dry-run" in sys.argv
    bertgen = read_tsv(os.path.join(results, "bertgen.tsv"))
    products = read_tsv(os.path.join(results, "products.tsv"))
    header = []
    torch = transformers = None
    if not dry:
        import torch
        import transformers
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        device = torch.device("cuda")
        try:
            driver = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader"],
                                    capture_output=True, text=True, timeout=30).stdout.strip()
        except Exception as e:  # noqa: BLE001 - the report says what failed
            driver = "nvidia-smi failed: %s" % e
        header.append("PyTorch %s, transformers %s, CUDA %s, GPU %s (driver: %s); fp32, eager, TF32 off"
                      % (torch.__version__, transformers.__version__, torch.version.cuda,
                         torch.cuda.get_device_name(0), driver))
    else:
        header.append("dry run: no PyTorch side")
    lines = ["# BertGen vs PyTorch on one GPU (%s)" % datetime.date.today().isoformat(), ""]
    lines += ["- " + h for h in header]
    with open(os.path.join(results, "bertgen-header.txt")) as f:
        lines.append("- " + f.read().strip().lstrip("# "))
    lines += ["", "## Models (ms, median of %d after %d warm-up; ratio = BertGen / PyTorch with the keras-hub head)"
              % (STEPS, WARMUP), "",
              "| model | BertGen kernels | phase | batch × seq | BertGen ms | PyTorch ms (keras-hub head) | ratio |"
              " PyTorch BertForMaskedLM ms (all positions) | note |",
              "|---|---|---|---|---:|---:|---:|---:|---|"]
    peer_cache = {}
    for r in bertgen:
        if r["phase"] == "failed":
            lines.append("| %s | %s | failed | %s × %s | - | - | - | - | %s |" % (
                r["model"], r["family"], r["batch"], r["seq"], r["note"]))
            continue
        key = (r["model"], r["phase"], int(r["batch"]))
        if not dry and key not in peer_cache:
            measured = []
            for head in (("keras",) if r["phase"] == "backbone" else ("keras", "full")):
                try:
                    measured.append(time_model(torch, transformers, r["model"], r["phase"], int(r["batch"]),
                                               int(r["seq"]), int(r["slots"]), device, head)[0])
                except Exception as e:  # noqa: BLE001 - one failed peer row must not lose the others
                    print("peer %s %s failed: %r" % (key, head, e), flush=True)
                    measured.append(None)
                    torch.cuda.empty_cache()
            peer_cache[key] = tuple(measured) + (None,) * (2 - len(measured))
            print("peer", key, peer_cache[key], flush=True)
        ms = float(r["ms"])
        peer = peer_cache.get(key, (None, None))
        lines.append("| %s | %s | %s | %s × %s | %.2f | %s | %s | %s | %s |" % (
            r["model"], r["family"], r["phase"], r["batch"], r["seq"], ms,
            "%.2f" % peer[0] if peer[0] else "-", "%.2fx" % (ms / peer[0]) if peer[0] else "-",
            "%.2f" % peer[1] if peer[1] else "-", r["note"]))
    lines += ["", "## Products (BertGen's GPU family vs cuBLAS fp32 through torch.matmul, same shapes)", "",
              "| model | phase | op | M × N × K × batches | launches | BertGen ms | BertGen TFLOP/s | cuBLAS ms |"
              " cuBLAS TFLOP/s | BertGen / cuBLAS throughput |",
              "|---|---|---|---|---:|---:|---:|---:|---:|---:|"]
    seen = {}
    for p in products:
        m, n, k, b = int(p["m"]), int(p["n"]), int(p["k"]), int(p["batches"])
        shape = (p["op"], m, n, k, b)
        flops = 2.0 * m * n * k * b
        cu = None
        if not dry:
            if shape not in seen:
                try:
                    seen[shape] = cublas_ms(torch, p["op"], m, n, k, b, device)
                except Exception as e:  # noqa: BLE001
                    print("cuBLAS %s failed: %r" % (shape, e), flush=True)
                    seen[shape] = None
            cu = seen[shape]
        ours = float(p["ms_per_launch"])
        lines.append("| %s | %s | %s | %d × %d × %d × %d | %s | %.4f | %.2f | %s | %s | %s |" % (
            p["model"], p["phase"], p["op"], m, n, k, b, p["launches"], ours, float(p["tflops"]),
            "%.4f" % cu if cu else "-", "%.2f" % (flops / cu / 1e9) if cu else "-",
            "%.0f %%" % (100 * cu / ours) if cu else "-"))
    memory = os.path.join(results, "memory.tsv")
    if os.path.exists(memory):
        with open(memory) as f:
            lines += ["", "## bert_base training memory", "", "```", f.read().rstrip(), "```"]
    checks = os.path.join(results, "fixture-checks.txt")
    if os.path.exists(checks):
        with open(checks) as f:
            tail = f.read().strip().splitlines()[-12:]
        lines += ["", "## Reference-fixture tests on this device (JUnit summary)", "", "```"] + tail + ["```"]
    report = os.path.join(results, "gpu-benchmark.md")
    with open(report + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(report + ".tmp", report)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
