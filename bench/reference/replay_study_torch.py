"""The replay-count study of `engram replay-study count` as a plain PyTorch program, for
bench/replay-study.

Split Fashion-MNIST pair (--first) -> (--second), class-incremental with all 4 outputs active,
MLP 784-256-256-4 (PyTorch's default init), Adam lr 1e-3 (fresh per task), batch 32, 3 epochs
per task, inputs standardised with the training mean and standard deviation. Per seed: train
task 1 once, copy the network, train task 2 from the copy once per m in 0..M, replaying m random
task-1 samples (min(32, m) per step) with the replayed mean weighted like the new mean.
Forgetting: drop in task-1 test accuracy among task 1's own outputs. Seeds run in WORKERS
processes with one thread each. Prints one JSON line.

Usage: replay_study_torch.py WORKERS SEEDS [--first 0,6 --second 1,7 --memory 10]
"""
import copy
import json
import multiprocessing as mp
import sys
import time

start_process = time.perf_counter()

import numpy as np
import torch

from fmnist_idx import standardized_fmnist


def option(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


FIRST = [int(c) for c in option("--first", "0,6").split(",")]
SECOND = [int(c) for c in option("--second", "1,7").split(",")]
MEMORY = int(option("--memory", "10"))


def load():
    xtr, ytr, xte, yte = standardized_fmnist(torch)
    tasks = []
    for offset, classes in ((0, FIRST), (len(FIRST), SECOND)):
        def part(x, y):
            keep = torch.zeros_like(y, dtype=torch.bool)
            mapped = torch.zeros_like(y)
            for j, c in enumerate(classes):
                keep |= y == c
                mapped[y == c] = offset + j
            return x[keep].contiguous(), mapped[keep].contiguous()
        tasks.append((part(xtr, ytr), part(xte, yte)))
    return tasks


TASKS = None


def train(model, x, y, memory=None):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = len(y)
    for _ in range(3):
        order = torch.randperm(n)
        for i in range(0, n, 32):
            b = order[i:i + 32]
            loss = torch.nn.functional.cross_entropy(model(x[b]), y[b])
            if memory is not None:
                mx, my = memory
                if len(my) > 32:
                    pick = torch.randperm(len(my))[:32]
                    mx, my = mx[pick], my[pick]
                loss = loss + torch.nn.functional.cross_entropy(model(mx), my)
            opt.zero_grad()
            loss.backward()
            opt.step()


def accuracy(model, x, y, units):
    with torch.no_grad():
        logits = model(x)[:, units]
        return float((logits.argmax(1) + units[0] == y).float().mean())


def seed_run(seed):
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    (x1, y1), (tx1, ty1) = TASKS[0]
    (x2, y2), _ = TASKS[1]
    units = list(range(len(FIRST)))
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, len(FIRST) + len(SECOND)))
    train(model, x1, y1)
    before = accuracy(model, tx1, ty1, units)
    chosen = torch.randperm(len(y1))[:MEMORY]
    drops = []
    for m in range(MEMORY + 1):
        net = copy.deepcopy(model)
        torch.manual_seed(seed + 1_000_003)
        memory = (x1[chosen[:m]], y1[chosen[:m]]) if m > 0 else None
        train(net, x2, y2, memory)
        drops.append(before - accuracy(net, tx1, ty1, units))
    return drops


def main():
    global TASKS
    workers, seeds = int(sys.argv[1]), int(sys.argv[2])
    TASKS = load()
    start = time.perf_counter()
    with mp.get_context("fork").Pool(workers) as pool:
        results = pool.map(seed_run, range(seeds))
    end = time.perf_counter()
    forgetting = np.array(results).mean(axis=0)
    print(json.dumps({
        "forgetting_mean": forgetting.tolist(), "study_seconds": end - start,
        "in_process_seconds": end - start_process, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
