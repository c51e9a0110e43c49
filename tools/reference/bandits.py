#!/usr/bin/python3
"""Reference values for the bandit statistics (src/stats/bandits/), written to src/stats/fixtures/bandits.json.

Run from the repository root with Debian's scipy:  /usr/bin/python3 tools/reference/bandits.py
Everything here is computed independently of the TypeScript code: conjugate updates in closed form with numpy,
Laplace posteriors by scipy.optimize on the same objective, selection probabilities by scipy.integrate.quad,
credible intervals from scipy.stats quantiles.
"""
import json
import platform
import sys

import numpy as np
import scipy
from scipy import integrate, optimize, special, stats

QUAD = dict(epsabs=1e-14, epsrel=1e-13, limit=1000)


def beta_sequences():
    cases = [((1, 1), [1]), ((3, 2), [0]), ((1, 1), [1, 0, 1, 1, 0, 0, 1]), ((0.5, 2.5), [0, 0, 1])]
    return [{"prior": list(p), "outcomes": y, "posterior": [p[0] + sum(y), p[1] + len(y) - sum(y)]} for p, y in cases]


def normal_update(mean, cov, xs, rs, noise_variance):
    precision = np.linalg.inv(cov)
    info = precision @ mean
    for x, r in zip(xs, rs):
        x = np.asarray(x, float)
        precision = precision + np.outer(x, x) / noise_variance
        info = info + x * r / noise_variance
    post_cov = np.linalg.inv(precision)
    return post_cov @ info, (post_cov + post_cov.T) / 2


def normal_sequences():
    rng = np.random.default_rng(20260901)
    cases = [
        dict(mean=[0.0], cov=[[1.0]], xs=[[1.0]], rs=[2.0], noise_variance=1.0),
        dict(mean=[1.0], cov=[[2.0]], xs=[[1.0]], rs=[0.0], noise_variance=1.0),
        dict(mean=[0.0, 0.0], cov=[[1.0, 0.0], [0.0, 1.0]], xs=[[1.0, 2.0]], rs=[3.0], noise_variance=1.0),
    ]
    xs = rng.normal(size=(12, 3)).round(3)
    rs = (xs @ np.array([0.5, -1.0, 2.0]) + rng.normal(size=12)).round(3)
    cases.append(dict(mean=[0.1, 0.2, -0.3], cov=[[2.0, 0.3, 0.0], [0.3, 1.0, 0.1], [0.0, 0.1, 0.5]],
                      xs=xs.tolist(), rs=rs.tolist(), noise_variance=2.5))
    out = []
    for c in cases:
        m, s = normal_update(np.array(c["mean"]), np.array(c["cov"]), c["xs"], c["rs"], c["noise_variance"])
        out.append({**c, "post_mean": m.tolist(), "post_cov": s.tolist()})
    return out


def laplace(mean, cov, xs, ys):
    mean, precision, X, y = np.array(mean), np.linalg.inv(np.array(cov)), np.array(xs, float), np.array(ys, float)

    def f(t):
        z = X @ t
        return 0.5 * (t - mean) @ precision @ (t - mean) + np.sum(np.logaddexp(0, z) - y * z)

    def g(t):
        return precision @ (t - mean) + X.T @ (special.expit(X @ t) - y)

    def h(t):
        p = special.expit(X @ t)
        return precision + (X.T * (p * (1 - p))) @ X

    res = optimize.minimize(f, np.zeros(len(mean)), jac=g, hess=h, method="trust-exact", options={"gtol": 1e-12})
    # trust-exact can stop a little short of gtol; polish by solving ∇J = 0 from its answer (scipy root, hybr).
    x = optimize.root(g, res.x, jac=h, method="hybr", tol=1e-15).x
    cov_post = np.linalg.inv(h(x))
    return x.tolist(), ((cov_post + cov_post.T) / 2).tolist(), float(np.max(np.abs(g(x))))


def laplace_cases():
    rng = np.random.default_rng(11)
    X3 = np.column_stack([np.ones(25), rng.normal(size=(25, 2)).round(3)])
    y3 = (rng.random(25) < special.expit(X3 @ np.array([-0.5, 1.0, 0.7]))).astype(int)
    cases = [
        dict(mean=[0.0], cov=[[1.0]], xs=[[1.0]], ys=[1]),
        dict(mean=[0.0], cov=[[1.0]], xs=[[1.0]] * 4, ys=[1, 1, 0, 1]),
        dict(mean=[0.0, 0.0], cov=[[1.0, 0.0], [0.0, 1.0]], xs=[[1, 0.5], [1, -1], [1, 2]], ys=[1, 0, 1]),
        dict(mean=[0.2, 0.0, -0.1], cov=[[4.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 2.0]], xs=X3.tolist(), ys=y3.tolist()),
    ]
    out = []
    for c in cases:
        m, s, grad = laplace(c["mean"], c["cov"], c["xs"], c["ys"])
        out.append({**c, "post_mean": m, "post_cov": s, "gradient_at_optimum": grad})
    return out


def beta_selection(arms, j, top_two_beta):
    a, b = arms[j]
    others = [arm for i, arm in enumerate(arms) if i != j]

    def weight(t):
        F = [stats.beta.cdf(t, *o) for o in others]
        S = [stats.beta.sf(t, *o) for o in others]
        best = np.prod(F)
        if top_two_beta is None:
            return best
        second = sum(S[k] * np.prod([F[i] for i in range(len(F)) if i != k]) for k in range(len(F)))
        return top_two_beta * best + (1 - top_two_beta) * second

    points = sorted({min(max(o[0] / (o[0] + o[1]), 1e-9), 1 - 1e-9) for o in arms})
    val, _ = integrate.quad(lambda t: stats.beta.pdf(t, a, b) * weight(t), 0, 1, points=points, **QUAD)
    return val


def normal_selection(arms, j, top_two_beta):
    m, s = arms[j]
    others = [arm for i, arm in enumerate(arms) if i != j]

    def weight(t):
        F = [stats.norm.cdf(t, *o) for o in others]
        S = [stats.norm.sf(t, *o) for o in others]
        best = np.prod(F)
        if top_two_beta is None:
            return best
        second = sum(S[k] * np.prod([F[i] for i in range(len(F)) if i != k]) for k in range(len(F)))
        return top_two_beta * best + (1 - top_two_beta) * second

    points = sorted({o[0] for o in arms})
    val, _ = integrate.quad(lambda t: stats.norm.pdf(t, m, s) * weight(t), m - 14 * s, m + 14 * s, points=points, **QUAD)
    return val


def selection_cases():
    beta_arms = [
        [[3, 2], [1, 1]],
        [[0.5, 0.5], [3, 7]],
        [[12, 30], [15, 31]],
        [[101, 899], [120, 880]],
        [[2, 5], [3, 5], [4, 5]],
        [[2, 5], [3, 5], [4, 5], [5, 5], [6, 5], [7, 5]],
    ]
    normal_arms = [
        [[0.0, 1.0], [1.0, 1.0]],
        [[0.3, 0.2], [0.1, 0.5]],
        [[0.0, 1.0], [0.5, 2.0], [1.0, 0.5]],
        [[0.0, 1.0], [0.3, 1.1], [0.6, 1.2], [0.9, 1.3], [1.2, 1.4], [1.5, 1.5]],
    ]
    out = []
    for kind, groups, fn in (("beta", beta_arms, beta_selection), ("normal", normal_arms, normal_selection)):
        for arms in groups:
            for tt in (None, 0.5) if len(arms) >= 3 else (None,):
                out.append({"kind": kind, "arms": arms, "top_two_beta": tt,
                            "probabilities": [fn(arms, j, tt) for j in range(len(arms))]})
    return out


def summary_cases():
    out = []
    for a, b in [(1, 1), (11, 21), (3, 2), (0.7, 40)]:
        m = a / (a + b)
        out.append({"model": "beta-bernoulli", "alpha": a, "beta": b, "mean": m, "stdev": float(np.sqrt(m * (1 - m))),
                    "ci": [stats.beta.ppf(0.025, a, b), stats.beta.ppf(0.975, a, b)]})
    z = stats.norm.ppf(0.975)
    for mean, cov, x, s in [([2.0], [[3.0]], [1.0], 1.5), ([1.0, 2.0], [[1.0, 0.2], [0.2, 0.5]], [1.0, 0.5], 0.0)]:
        mu, v = float(np.dot(x, mean)), float(np.array(x) @ np.array(cov) @ np.array(x))
        out.append({"model": "normal-linear", "mean_vector": mean, "cov": cov, "context": x, "outcome_stdev": s,
                    "z": z, "mean": mu, "stdev": float(np.sqrt(v + s * s)), "ci": [mu - z * np.sqrt(v), mu + z * np.sqrt(v)]})
    for mean, cov, x in [([2.2], [[0.01]], [1.0]), ([0.0], [[1.0]], [1.0]), ([-0.5, 1.0], [[0.5, 0.1], [0.1, 0.3]], [1.0, 2.0])]:
        mu, v = float(np.dot(x, mean)), float(np.array(x) @ np.array(cov) @ np.array(x))
        e, _ = integrate.quad(lambda t: stats.norm.pdf(t, mu, np.sqrt(v)) * special.expit(t), -np.inf, np.inf, **QUAD)
        out.append({"model": "normal-logistic", "mean_vector": mean, "cov": cov, "context": x, "z": z, "mean": e,
                    "stdev": float(np.sqrt(e * (1 - e))),
                    "ci": [special.expit(mu - z * np.sqrt(v)), special.expit(mu + z * np.sqrt(v))]})
    return out


def main():
    data = {
        "generated_by": "/usr/bin/python3 tools/reference/bandits.py",
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__},
        "beta_sequences": beta_sequences(),
        "normal_sequences": normal_sequences(),
        "laplace": laplace_cases(),
        "selection": selection_cases(),
        "summaries": summary_cases(),
    }
    with open("src/stats/fixtures/bandits.json", "w") as f:
        json.dump(data, f, indent=1, default=float)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
