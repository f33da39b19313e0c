"""The d = 50 replay-count sweep of `bench/theory`, in numpy + scipy, for timing.

The same computation as Engram's ReplayExperiment: task 1 spans {u, v1, v3..v_{d-1}} with
u = eps*v2 + sqrt(1-eps^2)*v_d, task 2 spans v_d, w* = u_perp. For each m, 1000 draws of m
fresh Gaussian task-1 samples; each draw removes the task-2 direction from the memory,
orthonormalises it by pivoted QR (LAPACK geqp3, as Engram does), applies the projections to the
error and measures ||Pi_1 e||^2. Prints one JSON line.
"""
import argparse
import json
import time

import numpy as np
import scipy.linalg


def build(d, eps):
    u = np.zeros(d); u[1] = eps; u[d - 1] = np.sqrt(1 - eps * eps)
    u_perp = np.zeros(d); u_perp[1] = np.sqrt(1 - eps * eps); u_perp[d - 1] = -eps
    others = [np.eye(d)[0]] + [np.eye(d)[i] for i in range(2, d - 1)]
    b1 = np.vstack([u] + others)
    b2 = np.eye(d)[d - 1:d]
    return b1, b2, u_perp


def sweep(d, eps, memories, draws, rng):
    b1, b2, w_star = build(d, eps)
    k = b1.shape[0]
    prefix = -w_star - b1.T @ (b1 @ -w_star)
    means, stderrs = [], []
    for m in memories:
        values = np.empty(draws)
        for i in range(draws):
            e = prefix.copy()
            e -= b2.T @ (b2 @ e)
            if m > 0:
                memory = rng.standard_normal((m, k)) / np.sqrt(k) @ b1
                largest = np.sqrt((memory * memory).sum(axis=1).max())
                residual = memory - (memory @ b2.T) @ b2
                q, r, _ = scipy.linalg.qr(residual.T, mode="economic", pivoting=True)
                cut = max(d, m + 1) * np.finfo(float).eps * largest
                rank = int((np.abs(np.diag(r)) > cut).sum())
                q = q[:, :rank]
                e -= q @ (q.T @ e)
            values[i] = np.sum((b1 @ e) ** 2)
        means.append(float(values.mean()))
        stderrs.append(float(values.std(ddof=1) / np.sqrt(draws)) if draws > 1 and m > 0 else 0.0)
    return means, stderrs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    memories = list(range(0, 51, 5))
    best = float("inf")
    for r in range(args.repeats):
        rng = np.random.default_rng(r)
        start = time.perf_counter()
        means, stderrs = sweep(50, 0.4, memories, args.draws, rng)
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"seconds": best, "means": means, "stderrs": stderrs, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
