"""Reference values for the power analysis (src/stats/power.test.ts) and ICC (src/stats/icc.test.ts).

Writes src/stats/fixtures/power.json and src/stats/fixtures/icc.json. Inputs are generated here from a
fixed seed: balanced and unbalanced designs with 2-6 arms, numeric (Cohen's d) and binary (Cohen's h)
metrics, cluster shapes, and (cluster, outcome) datasets with nulls.

t-test power is statsmodels' formula with the critical value solved on scipy's t CDF (scipy 1.10's t.ppf is
only good to ~2e-9; `power_t_statsmodels` keeps statsmodels' own value). For each power case it records
statsmodels' own solve (xtol ~1e-5, what the reference returns) and an
exact root of the same power function by scipy brentq at xtol 1e-13 (what the TS code should match to
~1e-9). Integer outputs (target_n, cluster counts) follow stats.md sections 1.1-1.2.

Run from the repository root:  /usr/bin/python3 tools/reference/power.py
"""
import json
import math
import platform

import numpy as np
import pandas as pd
import scipy
import statsmodels
import scipy.stats as st
from scipy.optimize import brentq
from statsmodels.stats.power import NormalIndPower, TTestIndPower

COMMAND = "/usr/bin/python3 tools/reference/power.py"
SEED = 20240611
rng = np.random.default_rng(SEED)
VERSIONS = {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__,
            "statsmodels": statsmodels.__version__, "pandas": pd.__version__}


def allocation(n_arms, weights):
    if weights is None:
        return 1.0, 1.0 / n_arms, [1.0 / n_arms] * n_arms
    s = sum(weights)
    p = [w / s for w in weights]
    return min(p[1:]) / p[0], p[0], p


def t_crit(alpha, df):
    """Upper alpha/2 critical value solved on the t CDF: scipy 1.10's t.ppf/isf (cdflib stdtrit) is only
    good to ~2e-9 relative, which statsmodels' power inherits."""
    q0 = float(st.t.isf(alpha / 2, df))
    return brentq(lambda c: st.t.sf(c, df) - alpha / 2, q0 * (1 - 1e-6), q0 * (1 + 1e-6), xtol=1e-300, rtol=1e-15)


def t_power(d, n1, alpha, ratio):
    """statsmodels' TTestIndPower.power with an accurate critical value."""
    n2 = n1 * ratio
    df = n1 + n2 - 2
    nc = d * math.sqrt(n1 * n2 / (n1 + n2))
    c = t_crit(alpha, df)
    return float(st.nct.sf(c, df, nc) + st.nct.cdf(-c, df, nc))


def exact_n(d, alpha, power, ratio):
    f = lambda n: t_power(abs(d), n, alpha, ratio) - power
    hi = 50.0
    while f(hi) < 0:
        hi *= 2
    return brentq(f, 2.0, hi, xtol=1e-13, rtol=1e-15, maxiter=500)


def exact_effect(n1, alpha, power, ratio, test):
    if test == "t":
        f = lambda d: t_power(d, n1, alpha, ratio) - power
    else:
        f = lambda d: NormalIndPower().power(d, n1, alpha, ratio=ratio) - power
    hi = 1.0
    while f(hi) < 0:
        hi *= 2
    return brentq(f, 1e-12, hi, xtol=1e-15, rtol=1e-15, maxiter=500)


def random_design():
    n_arms = int(rng.integers(2, 7))
    weights = None
    if rng.random() < 0.6:
        weights = [float(w) for w in rng.integers(5, 60, size=n_arms)]
    return n_arms, weights


def individual_cases(count):
    cases = []
    while len(cases) < count:
        n_arms, weights = random_design()
        ratio, control_share, _ = allocation(n_arms, weights)
        alpha = float(rng.choice([0.01, 0.05, 0.1]))
        power = float(rng.choice([0.8, 0.9, 0.95]))
        if rng.random() < 0.5:
            metric_type = "numeric"
            baseline = float(np.round(rng.uniform(1, 200), 3))
            sd = float(np.round(rng.uniform(0.5, 80), 3))
            target = float(np.round(baseline + rng.choice([-1, 1]) * rng.uniform(0.02, 0.8) * sd, 3))
            effect = (target - baseline) / sd
        else:
            metric_type = "binary"
            baseline = float(np.round(rng.uniform(0.02, 0.9), 3))
            target = float(np.round(min(0.98, max(0.01, baseline + rng.uniform(-0.15, 0.15))), 3))
            if abs(target - baseline) < 0.005:
                continue
            sd = None
            effect = 2 * math.asin(math.sqrt(baseline)) - 2 * math.asin(math.sqrt(target))
        n_sm = float(np.atleast_1d(TTestIndPower().solve_power(effect_size=effect, alpha=alpha, power=power, ratio=ratio))[0])
        n_exact = exact_n(effect, alpha, power, ratio)
        target_n = int(math.ceil(math.ceil(n_exact) / control_share))
        # statsmodels' root is only good to ~1e-5: flag cases whose ceiling it could flip
        ambiguous = abs(n_exact - round(n_exact)) < 1e-4
        desired_n = int(rng.integers(40, 20000))
        n1 = int(desired_n * control_share)
        mde = None
        if n1 * (1 + ratio) - 2 >= 1:
            d_t = exact_effect(n1, alpha, power, ratio, "t")
            d_z = exact_effect(n1, alpha, power, ratio, "z")
            sm_t = float(np.atleast_1d(TTestIndPower().solve_power(nobs1=n1, effect_size=None, alpha=alpha, power=power, ratio=ratio))[0])
            sm_z = float(np.atleast_1d(NormalIndPower().solve_power(nobs1=n1, effect_size=None, alpha=alpha, power=power, ratio=ratio))[0])
            mde = {"desired_n": desired_n, "n_control": n1, "effect_t_exact": d_t, "effect_z_exact": d_z,
                   "effect_t_statsmodels": sm_t, "effect_z_statsmodels": sm_z}
        cases.append({
            "metric_type": metric_type, "baseline": baseline, "sd": sd, "target": target, "effect": effect,
            "n_arms": n_arms, "arm_weights": weights, "alpha": alpha, "power": power, "ratio": ratio,
            "control_share": control_share,
            "power_at_exact_n": float(TTestIndPower().power(abs(effect), n_exact, alpha, ratio=ratio)),
            "n_control_statsmodels": n_sm, "n_control_exact": n_exact, "target_n": target_n,
            "ambiguous_ceiling": ambiguous, "mde": mde,
        })
    return cases


def power_grid():
    """Closed-form power values (no root finding) for the 1e-9 comparison."""
    rows = []
    for d in [0.01, 0.1, 0.35, 1.2]:
        for n1 in [3, 17.5, 250, 12000]:
            for ratio in [0.25, 1, 3]:
                for alpha in [0.01, 0.05]:
                    rows.append({"effect": d, "n_control": n1, "ratio": ratio, "alpha": alpha,
                                 "power_t_statsmodels": float(TTestIndPower().power(d, n1, alpha, ratio=ratio)),
                                 "power_t": t_power(d, n1, alpha, ratio),
                                 "power_z": float(NormalIndPower().power(d, n1, alpha, ratio=ratio))})
    return rows


def cluster_cases(count):
    cases = []
    for _ in range(count):
        n_arms, weights = random_design()
        _, _, shares = allocation(n_arms, weights)
        icc = float(np.round(rng.uniform(0, 0.4), 4))
        m = float(np.round(rng.uniform(1, 80), 2))
        cv = float(np.round(rng.choice([0, rng.uniform(0, 2)]), 3))
        deff = 1 + icc * ((m - 1) + m * cv ** 2)
        n_ind = int(rng.integers(50, 50000))
        clusters = [math.ceil((n_ind * p / m) * deff) for p in shares]
        n_per_arm = [math.ceil(j * m) for j in clusters]
        total = sum(n_per_arm)
        cases.append({"n_arms": n_arms, "arm_weights": weights, "icc": icc, "avg_cluster_size": m, "cv": cv,
                      "design_effect": deff, "individual_target_n": n_ind, "clusters_per_arm": clusters,
                      "n_per_arm": n_per_arm, "target_n": total, "num_clusters_total": sum(clusters),
                      "effective_sample_size": int(total / deff),
                      "mde_desired_n": n_ind, "mde_effective_n": int(n_ind / deff),
                      "mde_n_per_arm": [round(n_ind * p) for p in shares],
                      "mde_clusters_per_arm": [math.ceil(n_ind * p / m) for p in shares]})
    return cases


def icc_anova(df):
    df = df.dropna(subset=["cluster", "y"])
    g = df.groupby("cluster")["y"]
    sizes, means = g.size(), g.mean()
    n, k = len(df), len(sizes)
    grand = df["y"].mean()
    ssb = float((sizes * (means - grand) ** 2).sum())
    ssw = float(((df["y"] - df["cluster"].map(means)) ** 2).sum())
    msb, msw = ssb / (k - 1), ssw / (n - k)
    n0 = (n - float((sizes ** 2).sum()) / n) / (k - 1)
    sb = max(0.0, (msb - msw) / n0)
    icc = 0.0 if sb + msw == 0 else min(1.0, max(0.0, sb / (sb + msw)))
    return {"icc": icc, "msb": msb, "msw": msw, "n0": n0, "num_clusters": k, "n": n}


def icc_cases(count):
    cases = []
    for i in range(count):
        k = int(rng.integers(2, 40))
        sizes = rng.integers(1, 30, size=k)
        sizes[0] = max(sizes[0], 2)
        tau, sigma = rng.uniform(0, 5), rng.uniform(0.5, 5)
        binary = i % 3 == 0
        clusters, ys = [], []
        for c, s in enumerate(sizes):
            mu = rng.normal(10, tau)
            for _ in range(s):
                if binary:
                    y = float(rng.random() < 1 / (1 + math.exp(-(mu - 10) / 3)))
                else:
                    y = float(rng.normal(mu, sigma))
                clusters.append(f"c{c}" if i % 2 else c)
                ys.append(y)
        # nulls: some outcomes and some cluster keys missing
        for j in range(len(ys)):
            r = rng.random()
            if r < 0.05:
                ys[j] = None
            elif r < 0.08:
                clusters[j] = None
        df = pd.DataFrame({"cluster": clusters, "y": pd.array(ys, dtype="Float64")})
        try:
            ref = icc_anova(df.astype({"y": "float64"}))
        except ZeroDivisionError:
            continue
        rows = [{"cluster": c, "outcome": (None if y is None else (bool(y) if binary else y))}
                for c, y in zip(clusters, ys)]
        dropped = sum(1 for c, y in zip(clusters, ys) if c is None or y is None)
        if ref["n"] - ref["num_clusters"] < 1 or ref["num_clusters"] < 2:
            continue
        cases.append({"rows": rows, "binary": binary, "dropped_rows": dropped, **ref})
    return cases


def main():
    power = {"command": COMMAND, "generated_by": "tools/reference/power.py", "seed": SEED, "versions": VERSIONS,
             "power_grid": power_grid(), "individual": individual_cases(60), "cluster": cluster_cases(40)}
    with open("src/stats/fixtures/power.json", "w") as fh:
        json.dump(power, fh, indent=1)
    icc = {"command": COMMAND, "generated_by": "tools/reference/power.py", "seed": SEED, "versions": VERSIONS,
           "cases": icc_cases(30)}
    with open("src/stats/fixtures/icc.json", "w") as fh:
        json.dump(icc, fh, indent=1)


if __name__ == "__main__":
    main()
