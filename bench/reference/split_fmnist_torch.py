"""The Engram reference protocol as a plain PyTorch loop, for bench/split-fmnist.

Split Fashion-MNIST, class-incremental, 5 tasks of 2 classes, all 10 outputs active, MLP
784-400-400-10 (PyTorch's default init), SGD lr 0.01 momentum 0.9, batch 128, one epoch per task,
inputs standardised with the training mean and standard deviation. With --memory M: experience
replay with an online reservoir of M examples; each step concatenates 128 new and 128 replayed
examples into one mean loss (Engram's defaults). Prints one JSON line.

Usage: split_fmnist_torch.py THREADS SEED [--memory M]
"""
import json
import resource
import sys
import time

start_process = time.perf_counter()

import numpy as np
import torch

from fmnist_idx import standardized_fmnist


def main():
    threads, seed = int(sys.argv[1]), int(sys.argv[2])
    memory = int(sys.argv[sys.argv.index("--memory") + 1]) if "--memory" in sys.argv else 0
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    xtr, ytr, xte, yte = standardized_fmnist(torch)
    start_training = time.perf_counter()
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 400), torch.nn.ReLU(), torch.nn.Linear(400, 400), torch.nn.ReLU(),
        torch.nn.Linear(400, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    tasks = [(2 * t, 2 * t + 1) for t in range(5)]
    buffer_x = torch.zeros(memory, 784)
    buffer_y = torch.zeros(memory, dtype=torch.long)
    seen = 0
    rows = []
    for classes in tasks:
        train_index = torch.nonzero((ytr == classes[0]) | (ytr == classes[1])).flatten()
        order = train_index[torch.randperm(len(train_index))]
        for i in range(0, len(order), 128):
            b = order[i:i + 128]
            x, y = xtr[b], ytr[b]
            filled = min(seen, memory)
            if filled > 0:
                pick = torch.randint(0, filled, (128,))
                x_all, y_all = torch.cat([x, buffer_x[pick]]), torch.cat([y, buffer_y[pick]])
            else:
                x_all, y_all = x, y
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x_all), y_all)
            loss.backward()
            opt.step()
            for j in range(len(b)):
                if seen < memory:
                    slot = seen
                else:
                    r = int(rng.integers(0, seen + 1))
                    slot = r if r < memory else -1
                if slot >= 0:
                    buffer_x[slot], buffer_y[slot] = x[j], y[j]
                seen += 1
        with torch.no_grad():
            row = []
            for c in tasks:
                m = (yte == c[0]) | (yte == c[1])
                row.append(float((model(xte[m]).argmax(1) == yte[m]).float().mean()))
            rows.append(row)
    end = time.perf_counter()
    print(json.dumps({
        "average_accuracy": sum(rows[-1]) / 5, "accuracy_matrix": rows,
        "train_eval_seconds": end - start_training, "in_process_seconds": end - start_process,
        "peak_memory_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "torch": torch.__version__}))


if __name__ == "__main__":
    main()
