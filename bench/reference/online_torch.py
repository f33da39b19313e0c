"""Online Permuted Fashion-MNIST as a plain PyTorch loop, for bench/online.

The protocol of `engram run --benchmark online-permuted`: MLP 784-100-100-10 (ReLU, PyTorch's
default init), plain SGD lr 0.01 (no momentum), inputs pixels / 255 (no standardisation), one
10-way head shared by every task (domain-incremental). Each task is a fixed random pixel
permutation applied to EXAMPLES training images drawn afresh for that task, seen once in batches
of BATCH. Online accuracy is the accuracy of the pre-update logits on each incoming batch (the
forward pass that trains; no extra forward), averaged per task. Data is preloaded as tensors;
nothing is evaluated on the test set. Prints one JSON line.

Usage: online_torch.py THREADS SEED TASKS EXAMPLES BATCH
"""
import json
import resource
import sys
import time

start_process = time.perf_counter()

import torch

from fmnist_idx import idx


def main():
    threads, seed, tasks, examples, batch = (int(a) for a in sys.argv[1:6])
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    folder = "/usr/share/datasets/fashion-mnist/"
    xtr = torch.tensor(idx(folder + "train-images-idx3-ubyte.gz").reshape(-1, 784), dtype=torch.float32) / 255
    ytr = torch.tensor(idx(folder + "train-labels-idx1-ubyte.gz"), dtype=torch.long)
    start_training = time.perf_counter()
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 100), torch.nn.ReLU(),
        torch.nn.Linear(100, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    online = []
    for _ in range(tasks):
        permutation = torch.randperm(784)
        chosen = torch.randperm(len(xtr))[:examples]
        x = xtr[chosen][:, permutation]
        y = ytr[chosen]
        correct = 0
        for i in range(0, examples, batch):
            xb, yb = x[i:i + batch], y[i:i + batch]
            logits = model(xb)
            correct += int((logits.argmax(1) == yb).sum())
            loss = torch.nn.functional.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
        online.append(correct / examples)
    end = time.perf_counter()
    print(json.dumps({
        "online_accuracy": online, "mean_online_accuracy": sum(online) / len(online),
        "training_seconds": end - start_training, "seconds": end - start_process,
        "peak_memory_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "torch": torch.__version__}))


if __name__ == "__main__":
    main()
