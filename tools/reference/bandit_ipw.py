#!/usr/bin/python3
"""Reference values for the inverse-propensity estimates of bandit arm values (src/stats/bandits/ipw.ts and the
bandit analysis), written to src/stats/fixtures/bandit-ipw.json.

Run from the repository root with Debian's numpy/scipy:  /usr/bin/python3 tools/reference/bandit_ipw.py

Each data set is a logged adaptive experiment: at every step the policy's arm probabilities change (a
Dirichlet draw standing in for a bandit's posterior), an arm is drawn with them, and its probability and
outcome are logged. The estimators are computed here directly from their definitions with numpy:
  Horvitz-Thompson  V = mean_i(1[A_i = a] y_i / p_i),  SE = sqrt(var(Z, ddof=1) / n)
  Hajek             H = sum(1[A=a] y/p) / sum(1[A=a] / p),  SE = sqrt(n/(n-1) * sum(1[A=a] ((y - H)/p)^2)) / sum(1[A=a]/p)
with normal 95% intervals from scipy.stats.norm.ppf.
"""
import json
import platform
import sys

import numpy as np
import scipy
from scipy import stats

SEED = 20261124
OUT = "src/stats/fixtures/bandit-ipw.json"


def logged(rng, n, arms, outcome):
    rows = []
    for _ in range(n):
        p = rng.dirichlet(np.full(arms, 2.0))
        a = int(rng.choice(arms, p=p))
        rows.append({"arm": a, "propensity": float(p[a]), "outcome": float(outcome(rng, a))})
    return rows


def estimates(rows, arms, level=0.95):
    a_ = np.array([r["arm"] for r in rows])
    y = np.array([r["outcome"] for r in rows])
    p = np.array([r["propensity"] for r in rows])
    n = len(rows)
    z = stats.norm.ppf(1 - (1 - level) / 2)
    out = []
    for a in range(arms):
        on = a_ == a
        Z = np.where(on, y / p, 0.0)
        v = Z.mean()
        se = np.sqrt(Z.var(ddof=1) / n)
        w = (on / p).sum()
        h = (on * y / p).sum() / w
        se_h = np.sqrt(n / (n - 1) * (on * ((y - h) / p) ** 2).sum()) / w
        out.append({
            "arm": a,
            "k": int(on.sum()),
            "mean": v,
            "std_error": se,
            "ci_lower": v - z * se,
            "ci_upper": v + z * se,
            "self_normalized_mean": h,
            "self_normalized_std_error": se_h,
            "min_propensity": float(p[on].min()),
        })
    return out


def main():
    rng = np.random.default_rng(SEED)
    truth_binary = [0.2, 0.5, 0.35]
    truth_real = [1.0, -0.5, 2.5]
    sets = [
        {"name": "binary", "arms": 3, "rows": logged(rng, 400, 3, lambda r, a: r.random() < truth_binary[a])},
        {"name": "real-valued", "arms": 3, "rows": logged(rng, 250, 3, lambda r, a: truth_real[a] + r.standard_normal())},
    ]
    for s in sets:
        s["expected"] = estimates(s["rows"], s["arms"])
    doc = {
        "command": "/usr/bin/python3 tools/reference/bandit_ipw.py",
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__},
        "seed": SEED,
        "level": 0.95,
        "sets": sets,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
