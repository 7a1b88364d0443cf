# SPDX-License-Identifier: GPL-2.0
"""A toy training loop to try benchtrace on: each step loads a batch (file
I/O and a short wait, as a data loader would), computes on it (pure-Python
matrix work) and every few steps writes a checkpoint.

    sudo benchtrace -u py:train_step -u py:load_batch -- python3 examples/train.py
"""
import os
import sys
import tempfile
import time


def load_batch(path, n):
    with open(path, "rb") as f:
        data = f.read()
    time.sleep(0.01)  # waiting for the next batch
    return [data[i % len(data)] / 255.0 for i in range(n)]


def train_step(weights, batch):
    n = len(weights)
    grad = [0.0] * n
    for i in range(n):
        row = weights[i]
        grad[i] = sum(row[j] * batch[j] for j in range(n))
    for i in range(n):
        weights[i] = [w - 1e-3 * grad[i] for w in weights[i]]
    return sum(grad)


def checkpoint(weights, path):
    with open(path, "w") as f:
        for row in weights:
            f.write(" ".join("%.6f" % w for w in row) + "\n")
        f.flush()
        os.fsync(f.fileno())


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    n = 120
    weights = [[1.0 / (i + j + 1) for j in range(n)] for i in range(n)]
    with tempfile.TemporaryDirectory() as d:
        data = os.path.join(d, "data.bin")
        with open(data, "wb") as f:
            f.write(os.urandom(1 << 20))
        for step in range(steps):
            loss = train_step(weights, load_batch(data, n))
            if step % 10 == 9:
                checkpoint(weights, os.path.join(d, "ckpt.txt"))
        print("final loss %.4f" % loss)


if __name__ == "__main__":
    main()
