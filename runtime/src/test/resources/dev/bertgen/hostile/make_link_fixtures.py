"""Writes the HDF5 link fixtures of HostileWeightFilesTest (h5py 3.7 with HDF5 1.10).

Usage: python3 make_link_fixtures.py TINY_MODEL_WEIGHTS_H5 OUTPUT_DIR

TINY_MODEL_WEIGHTS_H5 is the model.weights.h5 of TinyPresets.keras (16 tokens, one encoder layer,
hidden size 8). Each fixture is a copy of it in which the token embedding,
layers/reversible_embedding/vars/0, is reached through a link.
"""
import sys

import h5py

SOURCE, OUT = sys.argv[1], sys.argv[2]
TOKENS = "layers/reversible_embedding/vars/0"


def variant(name, edit):
    with h5py.File(SOURCE, "r") as src, h5py.File(f"{OUT}/{name}.weights.h5", "w", libver="latest") as dst:
        for key in src:
            src.copy(src[key], dst, name=key)
        edit(dst)


def soft_link_inside(f):
    # the token embedding moved to /shared/tokens, reached by an absolute soft link;
    # the pooler bias moved next to its vars/1, reached by a relative one
    f.move(TOKENS, "/shared/tokens")
    f[TOKENS] = h5py.SoftLink("/shared/tokens")
    f.move("layers/dense/vars/1", "layers/dense/vars/bias_data")
    f["layers/dense/vars/1"] = h5py.SoftLink("bias_data")


def soft_link_to_itself(f):
    del f[TOKENS]
    f[TOKENS] = h5py.SoftLink("/" + TOKENS)


def soft_link_cycle(f):
    del f[TOKENS]
    f[TOKENS] = h5py.SoftLink("/loop/a")
    f["loop/a"] = h5py.SoftLink("/loop/b")
    f["loop/b"] = h5py.SoftLink("/loop/a")


def soft_link_through_itself(f):
    # a group that is a soft link into itself: resolving it needs itself
    del f["layers/reversible_embedding"]
    f["layers/reversible_embedding"] = h5py.SoftLink("/layers/reversible_embedding/inner")


def soft_link_dangling(f):
    del f[TOKENS]
    f[TOKENS] = h5py.SoftLink("/nowhere/tokens")


def external_link_fifo(f):
    del f[TOKENS]
    f[TOKENS] = h5py.ExternalLink("tokens.fifo", "/tokens")


def external_link_outside(f):
    del f[TOKENS]
    f[TOKENS] = h5py.ExternalLink("../outside.weights.h5", "/" + TOKENS)


for fn in [soft_link_inside, soft_link_to_itself, soft_link_cycle, soft_link_through_itself,
           soft_link_dangling, external_link_fifo, external_link_outside]:
    variant(fn.__name__.replace("_", "-"), fn)
