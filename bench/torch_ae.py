#!/usr/bin/env python3
"""PyTorch reference for bench/model.ts: the same dense autoencoder, batch and data, on ONE CPU thread.

Usage: python3 bench/torch_ae.py DATA.f32 WIDTH HIDDEN,..,BOTTLENECK BATCH TRAIN_ROWS SCORE_BATCH [relu|tanh]
Reads row-major float32 rows; prints one JSON line with samples/s for training (Adam, MSE, relu or tanh, linear output;
one epoch after a warm-up epoch) and rows/s for scoring (no_grad forward in batches of SCORE_BATCH), per wall-clock second and per CPU second.
"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
torch.manual_seed(0)


def main() -> None:
    path, width, arch, batch, train_rows, score_batch = sys.argv[1:7]
    act = sys.argv[7] if len(sys.argv) > 7 else 'relu'
    if act not in ('relu', 'tanh'):
        raise SystemExit(f'activation must be relu or tanh, got {act}')
    width, batch, train_rows, score_batch = int(width), int(batch), int(train_rows), int(score_batch)
    widths = [int(v) for v in arch.split(',')]
    data = torch.from_numpy(np.fromfile(path, dtype=np.float32).reshape(-1, width))
    sizes = [width] + widths + widths[-2::-1] + [width]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU() if act == 'relu' else torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()
    n = min(train_rows, data.shape[0])

    def train_epoch() -> float:
        perm = torch.randperm(n)
        total = 0.0
        for i in range(0, n, batch):
            x = data[perm[i:i + batch]]
            opt.zero_grad()
            loss = loss_fn(model(x), x)
            loss.backward()
            opt.step()
            total += loss.item() * x.shape[0]
        return total / n

    train_epoch()  # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    loss = train_epoch()
    train_s, train_cpu = time.perf_counter() - t0, time.process_time() - c0

    model.eval()
    with torch.no_grad():
        for i in range(0, min(data.shape[0], score_batch * 2), score_batch):
            model(data[i:i + score_batch])
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, data.shape[0], score_batch):
            model(data[i:i + score_batch]).numpy()
        score_s, score_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'train_samples_per_s': n / train_s,
        'score_rows_per_s': data.shape[0] / score_s,
        'train_samples_per_cpu_s': n / train_cpu,
        'score_rows_per_cpu_s': data.shape[0] / score_cpu,
        'loss': loss,
    }))


if __name__ == '__main__':
    main()
