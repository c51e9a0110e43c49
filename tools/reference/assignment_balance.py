"""Reference fixtures for Equipoise's preprocessing (qcut strata) and balance check.

Run:  /usr/bin/python3 tools/reference/assignment_balance.py
Writes src/stats/fixtures/balance.json. Data sets are generated here (numpy default_rng with fixed seeds).

Balance for K arms: the K-1 arm indicators (arms after the first observed) are regressed on the same design
(intercept, null-free numerics raw, other covariates as drop-first dummies of their preprocessed levels)
and all slopes are tested jointly with an HC1 (or CR1) Wald F test. statsmodels has no robust multivariate
OLS, so the stacked system is fitted as ONE statsmodels OLS on long-format data (row (i, e) carries X_i in
block e) with cov_type='cluster' grouped by participant (use_correction=False), which is exactly the
stacked sandwich (I x A^-1) sum_i (e_i e_i' x x_i x_i') (I x A^-1); the HC1/CR1 factor is applied by hand
and the Wald statistic comes from statsmodels' wald_test. For K = 2 the fixture also records the plain
statsmodels `OLS(...).fit(cov_type='HC1').f_test(...)`, the reference's own computation.\nColumns are rescaled to unit RMS before fitting (see rescaled()).
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
import statsmodels.api as sm

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "stats" / "fixtures"
MISSING = "__NULL__"


def versions():
    return {
        "command": "/usr/bin/python3 tools/reference/assignment_balance.py",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "pandas": pd.__version__,
    }


def is_numeric(values):
    nn = [v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))]
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in nn)


def preprocess(columns, quantiles=4):
    """Mirror of the reference's preprocess: returns list of (name, kind, payload)."""
    out = []
    for name in sorted(columns):
        values = columns[name]
        nn = [v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))]
        distinct = len(set((type(v).__name__, v) for v in nn))
        if distinct <= 1:
            continue
        if is_numeric(values):
            x = pd.Series([np.nan if v is None else float(v) for v in values])
            if not x.isna().any():
                out.append((name, "raw", x.to_numpy()))
                continue
            bins = pd.qcut(x, q=quantiles, duplicates="drop", labels=False)
            levels = sorted(set(int(b) for b in bins.dropna()))
            codes = [levels.index(int(b)) if not np.isnan(b) else len(levels) for b in bins]
            out.append((name, "dummies", (codes, len(levels) + 1)))
            continue
        if distinct == len(nn):
            continue
        order = sorted(set((type(v).__name__ != "bool", type(v).__name__ != "int" and type(v).__name__ != "float", v) for v in nn),
                       key=lambda t: (t[0], t[1], t[2]))
        levels = [t[2] for t in order]
        has_missing = len(nn) < len(values)
        codes = [len(levels) if (v is None) else levels.index(v) for v in values]
        out.append((name, "dummies", (codes, len(levels) + (1 if has_missing else 0))))
    return out


def design(columns):
    n = len(next(iter(columns.values())))
    cols = [np.ones(n)]
    for name, kind, payload in preprocess(columns):
        if kind == "raw":
            cols.append(payload)
        else:
            codes, nlev = payload
            for lev in range(1, nlev):
                cols.append(np.array([1.0 if c == lev else 0.0 for c in codes]))
    return np.column_stack(cols)


def rescaled(X):
    """Columns scaled to unit RMS: the Wald F of all slopes is invariant to it, and it keeps raw incomes
    (~1e5 next to an intercept) from costing pinv ~8 digits."""
    return X / np.sqrt((X ** 2).mean(axis=0))


def stacked_balance(X, arms, clusters=None):
    X = rescaled(X)
    arms = np.asarray(arms)
    observed = sorted(set(arms.tolist()))
    eqs = observed[1:]
    n, p = X.shape
    m = len(eqs)
    rows, ys, groups = [], [], []
    for i in range(n):
        for e, arm in enumerate(eqs):
            r = np.zeros(p * m)
            r[e * p:(e + 1) * p] = X[i]
            rows.append(r)
            ys.append(1.0 if arms[i] == arm else 0.0)
            groups.append(i if clusters is None else clusters[i])
    XL = np.array(rows)
    g = pd.factorize(pd.Series(groups))[0]
    res = sm.OLS(np.array(ys), XL).fit(cov_type="cluster", cov_kwds={"groups": g, "use_correction": False})
    rank = np.linalg.matrix_rank(X)
    if clusters is None:
        scale = n / (n - rank)
        df_denom = n - rank
    else:
        G = len(set(clusters))
        scale = G / (G - 1) * (n - 1) / (n - p)
        df_denom = G - 1
    cov = res.cov_params() * scale
    slope_idx = [e * p + u for e in range(m) for u in range(1, p)]
    R = np.zeros((len(slope_idx), p * m))
    for a, idx in enumerate(slope_idx):
        R[a, idx] = 1.0
    w = res.wald_test(R, cov_p=cov, use_f=True, scalar=True) if "scalar" in res.wald_test.__code__.co_varnames else res.wald_test(R, cov_p=cov, use_f=True)
    F = float(np.squeeze(w.fvalue))
    J = int(w.df_num)
    p_value = float(scipy.stats.f.sf(F, J, df_denom))
    return {"f_statistic": F, "numerator_df": J, "denominator_df": int(df_denom), "p_value": p_value}


def two_arm_statsmodels(X, arms, clusters=None):
    X = rescaled(X)
    y = np.asarray(arms, dtype=float)
    if clusters is None:
        res = sm.OLS(y, X).fit(cov_type="HC1")
    else:
        g = pd.factorize(pd.Series(clusters))[0]
        res = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": g}, use_t=True)
    p = X.shape[1]
    R = np.eye(p)[1:]
    f = res.f_test(R)
    F = float(np.squeeze(f.fvalue))
    df_denom = (len(set(clusters)) - 1) if clusters is not None else int(res.df_resid)
    return {"f_statistic": F, "numerator_df": int(f.df_num), "denominator_df": int(df_denom),
            "p_value": float(scipy.stats.f.sf(F, f.df_num, df_denom)),
            "statsmodels_p_value": float(np.squeeze(f.pvalue))}


def to_json_column(values):
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append(None)
        elif isinstance(v, (bool, np.bool_)):
            out.append(bool(v))
        elif isinstance(v, (int, np.integer)):
            out.append(int(v))
        elif isinstance(v, (float, np.floating)):
            out.append(float(v))
        else:
            out.append(str(v))
    return out


def make_dataset(seed, n, k, unbalanced, with_nulls):
    rng = np.random.default_rng(seed)
    age = rng.normal(40, 10, n).round(1)
    income = rng.lognormal(10, 0.8, n).round(0)
    region = rng.choice(["E", "N", "S", "W"], n)
    member = rng.random(n) < 0.4
    cols = {
        "age": [float(a) for a in age],
        "income": [float(v) for v in income],
        "region": [str(r) for r in region],
        "member": [bool(b) for b in member],
        "id": [f"u{i:05d}" for i in range(n)],
    }
    if with_nulls:
        for i in rng.choice(n, n // 10, replace=False):
            cols["income"][i] = None
        for i in rng.choice(n, n // 20, replace=False):
            cols["region"][i] = None
    if unbalanced:
        # older participants are pushed towards higher arms
        probs = np.exp(np.outer((age - 40) / 10, np.arange(k) * 0.6))
        probs /= probs.sum(axis=1, keepdims=True)
        arms = np.array([rng.choice(k, p=pr) for pr in probs])
    else:
        arms = rng.integers(0, k, n)
    return cols, arms


def main():
    cases = []
    for seed, n, k, unbalanced, nulls in [
        (1, 400, 2, False, False), (2, 400, 2, True, True), (3, 600, 3, False, True), (4, 600, 3, True, False),
        (5, 900, 4, False, True), (6, 900, 5, True, True), (7, 1200, 6, False, True), (8, 300, 6, True, False),
    ]:
        cols, arms = make_dataset(seed, n, k, unbalanced, nulls)
        X = design({c: v for c, v in cols.items() if c != "id"})
        entry = {"name": f"seed{seed}_n{n}_k{k}_{'unbalanced' if unbalanced else 'random'}{'_nulls' if nulls else ''}",
                 "columns": {c: to_json_column(v) for c, v in cols.items()}, "arms": arms.tolist(),
                 "expected": stacked_balance(X, arms), "design_columns": X.shape[1]}
        if k == 2:
            entry["statsmodels_two_arm"] = two_arm_statsmodels(X, arms)
        cases.append(entry)
    # Cluster-robust (CR1) balance: clusters of participants share an arm.
    cluster_cases = []
    for seed, g, k in [(11, 30, 2), (12, 40, 3), (13, 24, 4)]:
        rng = np.random.default_rng(seed)
        sizes = rng.integers(3, 12, g)
        clusters = np.repeat(np.arange(g), sizes)
        n = len(clusters)
        cl_arm = rng.integers(0, k, g)
        arms = cl_arm[clusters]
        x = (rng.normal(0, 1, g)[clusters] + rng.normal(0, 1, n)).round(3)
        grp = rng.choice(["a", "b", "c"], n)
        cols = {"x": [float(v) for v in x], "grp": [str(v) for v in grp]}
        X = design(cols)
        entry = {"name": f"cluster_seed{seed}_g{g}_k{k}", "columns": cols, "arms": arms.tolist(),
                 "clusters": [int(c) for c in clusters], "expected": stacked_balance(X, arms, clusters.tolist())}
        if k == 2:
            entry["statsmodels_two_arm"] = two_arm_statsmodels(X, arms, clusters.tolist())
        cluster_cases.append(entry)
    qcut_cases = []
    for values in [list(range(10)), [0, 0, 0, 0, 0, 0, 4, 4, None, None], [1, 1, 1, 1, 2, 3],
                   [1.5, 2.5, 2.5, 2.5, 10, 11, 12, 100], [float(v) for v in np.random.default_rng(5).normal(0, 1, 37).round(2)],
                   [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3]]:
        for q in (2, 3, 4, 5, 10):
            s = pd.Series([np.nan if v is None else v for v in values], dtype=float)
            labels, edges = pd.qcut(s, q=q, duplicates="drop", labels=False, retbins=True)
            qcut_cases.append({"values": values, "q": q, "labels": [None if np.isnan(l) else int(l) for l in labels],
                               "edges": [float(e) for e in edges]})
    doc = {"generated_by": versions(), "balance": cases, "cluster_balance": cluster_cases, "qcut": qcut_cases}
    (OUT / "balance.json").write_text(json.dumps(doc, indent=1) + "\n")
    print("wrote", OUT / "balance.json")


if __name__ == "__main__":
    sys.exit(main())
