"""Reference values for the MDE at an experiment's observed sample (src/stats/observed-power.test.ts).

Writes src/stats/fixtures/observed-power.json: a few hand-picked cases (numeric and binary metrics, equal and
unequal arms, three arms, a cluster design) with the participants with a value per arm, the baseline arm's
mean and population standard deviation, and the design's minimum effect. For each case the compared
groups are the baseline arm and the smallest other arm (cluster designs: each divided by the design effect
1 + ICC((m - 1) + m CV^2) and truncated). The standardised MDE is statsmodels'
`TTestIndPower().solve_power(nobs1=, ratio=, alpha=, power=)` (Cohen's d for numeric metrics, Cohen's h
for binary ones, as `src/stats/power-individual-analysis.ts` uses the t-test for both), recorded as
statsmodels returns it (brentq to xtol ~1e-5) and as an exact root of the same power function (critical
value solved on the t CDF, brentq at xtol 1e-15). It is turned back into a metric value toward the target:
baseline + d sd, or sin^2(asin(sqrt(p)) + h/2).

Run from the repository root:  /usr/bin/python3 tools/reference/observed_power.py
"""
import json
import math
import platform

import numpy as np
import scipy
import scipy.stats as st
import statsmodels
from scipy.optimize import brentq
from statsmodels.stats.power import TTestIndPower

COMMAND = "/usr/bin/python3 tools/reference/observed_power.py"
VERSIONS = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__}

CASES = [
    {"name": "numeric, equal arms, 5% change", "metric_type": "numeric", "baseline_mean": 100.0, "baseline_sd": 20.0,
     "metric_pct_change": 0.05, "n_per_arm": [250, 250], "baseline": 0, "alpha": 0.05, "power": 0.8},
    {"name": "numeric, equal arms, 10% change", "metric_type": "numeric", "baseline_mean": 100.0, "baseline_sd": 20.0,
     "metric_pct_change": 0.10, "n_per_arm": [250, 250], "baseline": 0, "alpha": 0.05, "power": 0.8},
    {"name": "binary, unequal arms (3:1), 10% change", "metric_type": "binary", "baseline_mean": 0.3,
     "metric_pct_change": 0.10, "n_per_arm": [300, 100], "baseline": 0, "alpha": 0.05, "power": 0.8},
    {"name": "numeric, three unequal arms, baseline second, target below", "metric_type": "numeric",
     "baseline_mean": 50.0, "baseline_sd": 12.0, "metric_target": 45.0, "n_per_arm": [150, 400, 200],
     "baseline": 1, "alpha": 0.1, "power": 0.9},
    {"name": "binary, cluster design", "metric_type": "binary", "baseline_mean": 0.4, "metric_pct_change": 0.25,
     "n_per_arm": [600, 600], "baseline": 0, "alpha": 0.05, "power": 0.8,
     "cluster": {"icc": 0.05, "avg_cluster_size": 20.0, "cv": 0.5}},
]


def t_crit(alpha, df):
    """Upper alpha/2 critical value solved on the t CDF (scipy 1.10's t.isf is good to ~2e-9 only)."""
    q0 = float(st.t.isf(alpha / 2, df))
    return brentq(lambda c: st.t.sf(c, df) - alpha / 2, q0 * (1 - 1e-6), q0 * (1 + 1e-6), xtol=1e-300, rtol=1e-15)


def t_power(d, n1, alpha, ratio):
    n2 = n1 * ratio
    df = n1 + n2 - 2
    nc = d * math.sqrt(n1 * n2 / (n1 + n2))
    c = t_crit(alpha, df)
    return float(st.nct.sf(c, df, nc) + st.nct.cdf(-c, df, nc))


def exact_effect(n1, alpha, power, ratio):
    f = lambda d: t_power(d, n1, alpha, ratio) - power
    hi = 1.0
    while f(hi) < 0:
        hi *= 2
    return brentq(f, 1e-12, hi, xtol=1e-15, rtol=1e-15, maxiter=500)


def case_values(c):
    n = c["n_per_arm"]
    control = n[c["baseline"]]
    smallest = min(x for j, x in enumerate(n) if j != c["baseline"])
    deff = 1.0
    if "cluster" in c:
        s = c["cluster"]
        deff = 1 + s["icc"] * ((s["avg_cluster_size"] - 1) + s["avg_cluster_size"] * s["cv"] ** 2)
        control, smallest = math.floor(control / deff), math.floor(smallest / deff)
    ratio = smallest / control
    effect_sm = float(TTestIndPower().solve_power(effect_size=None, nobs1=control, alpha=c["alpha"], power=c["power"], ratio=ratio))
    effect = exact_effect(control, c["alpha"], c["power"], ratio)
    base = c["baseline_mean"]
    target = c.get("metric_target")
    if target is None:
        target = base * (1 + c["metric_pct_change"])
    direction = 1 if target >= base else -1
    if c["metric_type"] == "numeric":
        possible = base + direction * effect * c["baseline_sd"]
    else:
        angle = math.asin(math.sqrt(base)) + direction * effect / 2
        possible = math.sin(angle) ** 2
    return {
        **c,
        "design_effect": deff,
        "effective_n": [control, smallest],
        "ratio": ratio,
        "effect_statsmodels": effect_sm,
        "effect_exact": effect,
        "designed_target": target,
        "target_possible": possible,
        "pct_change_possible": possible / base - 1,
        "underpowered": abs(possible - base) > abs(target - base),
    }


def main():
    out = {
        "command": COMMAND,
        "generated_by": "tools/reference/observed_power.py",
        "versions": VERSIONS,
        "cases": [case_values(c) for c in CASES],
    }
    with open("src/stats/fixtures/observed-power.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
