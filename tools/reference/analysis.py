"""Reference fixtures for Equipoise's frequentist analysis, Lin adjustment, SRM and multiple testing.

Run:  /usr/bin/python3 tools/reference/analysis.py
Writes src/stats/fixtures/{analysis,srm,multiple-testing}.json from data sets generated here
(numpy default_rng with fixed seeds).

Per metric: statsmodels OLS `y ~ C(arm, Treatment(baseline))` on complete cases with cov_type='HC1' or
cov_type='cluster' (statsmodels 0.13.5 applies CR1: G/(G-1) * (N-1)/(N-k), k = number of columns), each with
use_t=False (z, the reference) and use_t=True (t with df N-rank, or G-1 for clusters). Arm means and their
CIs come from t_test on intercept + dummy. Lin (2013): `y ~ C(arm) * (x1c + x2c)` with covariates centred at
their complete-case mean, HC1 or cluster. SRM: scipy.stats.chisquare. Multiple testing:
statsmodels.stats.multitest.multipletests(method='holm' / 'fdr_bh').
"""
import json
import platform
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import scipy.stats
import statsmodels
import statsmodels.formula.api as smf
from statsmodels.stats.multitest import multipletests

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "stats" / "fixtures"


def versions(extra=""):
    return {
        "command": "/usr/bin/python3 tools/reference/analysis.py",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "pandas": pd.__version__,
        "note": extra,
    }


def fit_rows(df, formula, k, baseline, clusters, use_t, alpha, lin=False):
    if clusters:
        res = smf.ols(formula, df).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(df["cluster"])[0]}, use_t=use_t)
    else:
        res = smf.ols(formula, df).fit(cov_type="HC1", use_t=use_t)
    names = list(res.params.index)
    rows = []
    for arm in range(k):
        if arm == baseline:
            L = np.zeros(len(names)); L[0] = 1
        else:
            name = f"C(arm, Treatment({baseline}))[T.{arm}]"
            L = np.zeros(len(names)); L[names.index(name)] = 1
        t = res.t_test(L)
        est = float(np.squeeze(t.effect)); se = float(np.squeeze(t.sd)); ci = np.squeeze(t.conf_int(alpha=alpha))
        Lm = np.zeros(len(names)); Lm[0] = 1
        if arm != baseline:
            Lm[names.index(f"C(arm, Treatment({baseline}))[T.{arm}]")] = 1
        tm = res.t_test(Lm)
        mci = np.squeeze(tm.conf_int(alpha=alpha))
        rows.append({"arm": arm, "estimate": est, "std_error": se, "t_stat": float(np.squeeze(t.tvalue)),
                     "p_value": float(np.squeeze(t.pvalue)), "ci_lower": float(ci[0]), "ci_upper": float(ci[1]),
                     "mean": float(np.squeeze(tm.effect)), "mean_std_error": float(np.squeeze(tm.sd)),
                     "mean_ci_lower": float(mci[0]), "mean_ci_upper": float(mci[1])})
    df_t = float(res.df_resid_inference) if (use_t and clusters) else float(res.df_resid)
    return {"arms": rows, "df": df_t if use_t else None}


def dataset(seed, k, n, kind, clusters, unbalanced, missing_rate, big_mean=False, lin=False):
    rng = np.random.default_rng(seed)
    if clusters:
        g = n // 8
        sizes = rng.integers(3, 14, g)
        cl = np.repeat(np.arange(g), sizes)
        cl_arm = rng.integers(0, k, g)
        arm = cl_arm[cl]
        u = rng.normal(0, 1.0, g)[cl]
        n = len(cl)
    else:
        cl = None
        p = np.arange(1, k + 1, dtype=float) if unbalanced else np.ones(k)
        arm = rng.choice(k, n, p=p / p.sum())
        u = 0.0
    x1 = rng.normal(50, 10, n)
    x2 = rng.binomial(1, 0.3, n).astype(float)
    effects = np.linspace(0, 0.8, k)
    if kind == "binary":
        lp = -0.3 + effects[arm] + 0.03 * (x1 - 50) + 0.4 * x2 + 0.5 * u
        y = (rng.random(n) < 1 / (1 + np.exp(-lp))).astype(float)
    else:
        y = 10 + 2 * effects[arm] + 0.2 * (x1 - 50) * (1 + 0.3 * arm) + 1.5 * x2 + u + rng.normal(0, 2 + arm * 0.5, n)
        if big_mean:
            y = y + 1e6
    y = y.astype(object)
    for i in rng.choice(n, int(n * missing_rate), replace=False):
        y[i] = None
    x1 = x1.round(4)
    if lin:
        for i in rng.choice(n, n // 50, replace=False):
            x1[i] = np.nan
    return arm, y, x1, x2, cl


def outcome_json(y, kind):
    if kind == "binary":
        return [None if v is None else bool(v) for v in y]
    return [None if v is None else float(v) for v in y]


def main():
    analysis = []
    specs = [
        # seed, k, n, kind, clusters, unbalanced, missing, big_mean, baseline
        (21, 2, 500, "numeric", False, False, 0.05, False, 0),
        (22, 3, 900, "numeric", False, True, 0.1, False, 0),
        (23, 4, 1200, "binary", False, False, 0.05, False, 2),
        (24, 6, 1500, "numeric", False, True, 0.0, False, 0),
        (25, 5, 800, "binary", False, True, 0.2, False, 1),
        (26, 2, 300, "numeric", False, False, 0.05, True, 0),
        (27, 2, 320, "numeric", True, False, 0.05, False, 0),
        (28, 3, 480, "binary", True, False, 0.1, False, 0),
        (29, 4, 400, "numeric", True, True, 0.0, False, 3),
    ]
    for seed, k, n, kind, clusters, unbalanced, miss, big, baseline in specs:
        arm, y, x1, x2, cl = dataset(seed, k, n, kind, clusters, unbalanced, miss, big)
        df = pd.DataFrame({"arm": arm, "y": pd.to_numeric(pd.Series(y), errors="coerce")})
        if clusters:
            df["cluster"] = cl
        cc = df.dropna(subset=["y"])
        formula = f"y ~ C(arm, Treatment({baseline}))"
        alpha = 0.1 if seed % 2 else 0.05
        missing = [int(((df.arm == a) & df.y.isna()).sum()) for a in range(k)]
        analysis.append({
            "name": f"seed{seed}_k{k}_{kind}{'_clustered' if clusters else ''}{'_unbalanced' if unbalanced else ''}{'_bigmean' if big else ''}",
            "arms": arm.tolist(), "outcomes": outcome_json(y, kind), "clusters": None if cl is None else cl.tolist(),
            "baseline": baseline, "alpha": alpha, "num_missing_values": missing,
            "z": fit_rows(cc, formula, k, baseline, clusters, False, alpha),
            "t": fit_rows(cc, formula, k, baseline, clusters, True, alpha),
        })
    lin = []
    for seed, k, n, kind, clusters, baseline in [(31, 2, 600, "numeric", False, 0), (32, 3, 900, "numeric", False, 1),
                                                 (33, 4, 1000, "binary", False, 0), (34, 3, 480, "numeric", True, 0)]:
        arm, y, x1, x2, cl = dataset(seed, k, n, kind, clusters, True, 0.05, lin=True)
        df = pd.DataFrame({"arm": arm, "y": pd.to_numeric(pd.Series(y), errors="coerce"), "x1": x1, "x2": x2})
        if clusters:
            df["cluster"] = cl
        cc = df.dropna(subset=["y", "x1", "x2"]).copy()
        cc["x1c"] = cc.x1 - cc.x1.mean()
        cc["x2c"] = cc.x2 - cc.x2.mean()
        formula = f"y ~ C(arm, Treatment({baseline})) * (x1c + x2c)"
        alpha = 0.05
        missing = [int((df.arm == a).sum() - (cc.arm == a).sum()) for a in range(k)]
        lin.append({
            "name": f"lin_seed{seed}_k{k}_{kind}{'_clustered' if clusters else ''}",
            "arms": arm.tolist(), "outcomes": outcome_json(y, kind),
            "covariates": [[None if np.isnan(v) else float(v) for v in x1], [float(v) for v in x2]],
            "clusters": None if cl is None else cl.tolist(), "baseline": baseline, "alpha": alpha,
            "num_missing_values": missing,
            "z": fit_rows(cc, formula, k, baseline, clusters, False, alpha, lin=True),
            "t": fit_rows(cc, formula, k, baseline, clusters, True, alpha, lin=True),
        })
    (OUT / "analysis.json").write_text(json.dumps({"generated_by": versions(), "analysis": analysis, "lin": lin}, indent=1) + "\n")

    srm = []
    for observed, weights in [([50_000, 50_000], [1, 1]), ([48_000, 52_000], [1, 1]), ([49_800, 50_200], [1, 1]),
                              ([300, 690], [30, 70]), ([333, 333, 334], [1, 1, 1]), ([120, 250, 260, 370], [1, 2, 3, 4]),
                              ([1000, 0], [1, 1]), ([10, 31, 29, 30, 0, 2], [1, 1, 1, 1, 1, 1e-3])]:
        n = sum(observed); w = np.array(weights, dtype=float); exp = n * w / w.sum()
        r = scipy.stats.chisquare(observed, exp)
        srm.append({"observed": observed, "weights": weights, "chi_square": float(r.statistic), "p_value": float(r.pvalue),
                    "df": len(observed) - 1})
    (OUT / "srm.json").write_text(json.dumps({"generated_by": versions("scipy.stats.chisquare(observed, n*w/sum(w))"), "cases": srm}, indent=1) + "\n")

    mt = []
    rng = np.random.default_rng(41)
    vectors = [[0.01, 0.04, 0.03], [0.001, 0.01, 0.01, 0.2, 0.5, 0.04], [0.5, 0.5, 0.5], [1e-12, 0.049, 0.051, 0.9, 1.0]]
    vectors += [rng.beta(0.4, 1.5, m).tolist() for m in (2, 7, 15, 30)]
    for p in vectors:
        mt.append({"p_values": p, "holm": multipletests(p, method="holm")[1].tolist(),
                   "fdr_bh": multipletests(p, method="fdr_bh")[1].tolist()})
    (OUT / "multiple-testing.json").write_text(json.dumps({"generated_by": versions("statsmodels multipletests"), "cases": mt}, indent=1) + "\n")
    print("wrote analysis.json, srm.json, multiple-testing.json")


if __name__ == "__main__":
    sys.exit(main())
