"""Fixtures for the black-box analysis tests (test/analysis/analysis-http.test.ts), in two steps.

  /usr/bin/python3 tools/reference/analysis_http.py participants
      writes test/analysis/fixtures/http-participants.json: two warehouse tables generated here with numpy
      default_rng(SEED) — `trial` (1,200 participants: region stratum, numeric covariate x1 with NULLs,
      categorical covariate segment with a rare level and NULLs) and `schools_trial` (60 schools of 8–24
      pupils, covariate x1) — with the noise of their outcomes and which participants later go missing.

  RECORD_ANALYSIS_FIXTURES=1 npx vitest run test/analysis/analysis-http.test.ts
      runs the real preassignment over HTTP (fixed random_state) and records who got which arm in
      test/analysis/fixtures/http-assignments.json.

  /usr/bin/python3 tools/reference/analysis_http.py expected
      reads both, computes each participant's outcomes from their arm (known effects), and writes
      test/analysis/fixtures/http-expected.json: the outcomes the test loads into the warehouse and what
      statsmodels says the analysis must return.

Expected values: statsmodels OLS `y ~ C(arm, Treatment(b))` on complete cases (participants present in the
warehouse with a non-NULL value), cov_type='HC1' (trial) or 'cluster' by school (CR1: G/(G-1)*(N-1)/(N-k),
k = columns), with use_t=True (df N - rank, or G - 1) and use_t=False (z). Arm means and their CIs from
t_test on intercept + dummy. Lin (2013): the covariates encoded exactly as src/services/analysis/
covariate-design.ts documents (numeric: mean over found participants imputed, plus a `:missing` indicator
when at least 20 lack a value; categorical: code-point-sorted levels with levels seen < 20 times merged into
__OTHER__, missing as __NULL__ (or merged), first level dropped), centred at the complete-case mean of each
metric's sample, then `y ~ C(arm) * (centred columns)` with the same covariance. Holm and BH:
multipletests over every non-baseline arm of every metric. SRM: scipy.stats.chisquare of participants (or
clusters) per arm against the arm weights.
"""
import json
import os
import platform
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import scipy.stats
import statsmodels
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "analysis" / "fixtures"
SEED = 20261124
MIN_CELL = 20


def versions(step):
    return {
        "command": f"/usr/bin/python3 tools/reference/analysis_http.py {step}",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "pandas": pd.__version__,
        "seed": SEED,
    }


def none_where(values, mask):
    return [None if m else v for v, m in zip(values, mask)]


def participants():
    rng = np.random.default_rng(SEED)
    n = 1200
    region = rng.choice(["north", "south", "east", "west"], n, p=[0.3, 0.3, 0.2, 0.2]).tolist()
    region = none_where(region, rng.random(n) < 0.03)
    segment = rng.choice(["a", "b", "c", "rare"], n, p=[0.45, 0.35, 0.185, 0.015]).tolist()
    segment = none_where(segment, rng.random(n) < 0.01)
    x1 = none_where(np.round(rng.normal(50, 10, n), 3).tolist(), rng.random(n) < 0.05)
    absent = np.zeros(n, bool)
    absent[rng.choice(n, 25, replace=False)] = True
    y_null = np.zeros(n, bool)
    y_null[rng.choice(n, 40, replace=False)] = True
    bin_null = np.zeros(n, bool)
    bin_null[rng.choice(n, 15, replace=False)] = True
    trial = {
        "id": [f"p{i:05d}" for i in range(n)],
        "region": region,
        "segment": segment,
        "x1": x1,
        "absent": absent.tolist(),
        "y_num_null": y_null.tolist(),
        "y_bin_null": bin_null.tolist(),
        "e_num": rng.normal(0, 4, n).tolist(),
        "u_bin": rng.random(n).tolist(),
    }

    g = 60
    sizes = rng.integers(8, 25, g)
    school = np.repeat(np.arange(g), sizes)
    m = len(school)
    u_school = rng.normal(0, 2, g)[school]
    xs = np.round(rng.normal(30, 6, m), 3)
    absent_s = np.zeros(m, bool)
    absent_s[rng.choice(m, 10, replace=False)] = True
    null_s = np.zeros(m, bool)
    null_s[rng.choice(m, 12, replace=False)] = True
    schools = {
        "id": [f"s{i:05d}" for i in range(m)],
        "school": [f"sch{c:03d}" for c in school],
        "x1": xs.tolist(),
        "absent": absent_s.tolist(),
        "y_num_null": null_s.tolist(),
        "e_num": (u_school + rng.normal(0, 3, m)).tolist(),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "http-participants.json").write_text(json.dumps({"generated_by": versions("participants"), "trial": trial, "schools_trial": schools}) + "\n")
    print("wrote http-participants.json")


# --- expected ---------------------------------------------------------------------------------------

TRIAL_EFFECT_NUM = [0.0, 1.5, 0.4]
TRIAL_EFFECT_BIN = [0.0, 0.08, 0.02]
SCHOOL_EFFECT = [0.0, 2.0]


def trial_outcomes(t, arms):
    y_num, y_bin = [], []
    for i, arm in enumerate(arms):
        x = t["x1"][i] if t["x1"][i] is not None else 50.0
        yn = 20.0 + 0.4 * x + TRIAL_EFFECT_NUM[arm] + t["e_num"][i]
        yb = bool(t["u_bin"][i] < 0.35 + TRIAL_EFFECT_BIN[arm] + 0.003 * (x - 50.0))
        y_num.append(None if t["y_num_null"][i] else float(yn))
        y_bin.append(None if t["y_bin_null"][i] else yb)
    return {"y_num": y_num, "y_bin": y_bin}


def school_outcomes(s, arms):
    y = []
    for i, arm in enumerate(arms):
        v = 15.0 + 0.3 * s["x1"][i] + SCHOOL_EFFECT[arm] + s["e_num"][i]
        y.append(None if s["y_num_null"][i] else float(v))
    return {"y_num": y}


def encode(df, fields, kinds):
    """The covariate encoding of covariate-design.ts over the found participants (df holds only those)."""
    cols = {}
    for f in fields:
        v = df[f]
        if kinds[f] == "numeric":
            vals = pd.to_numeric(v, errors="coerce").astype(float)
            missing = vals.isna()
            if (~missing).sum() == 0:
                continue
            mean = vals[~missing].sum() / (~missing).sum()
            cols[f] = vals.where(~missing, mean).to_numpy()
            if missing.sum() >= MIN_CELL:
                cols[f"{f}:missing"] = missing.astype(float).to_numpy()
        else:
            text = v.where(v.notna(), None)
            counts = {}
            for x in text:
                key = "\0NULL" if x is None else x
                counts[key] = counts.get(key, 0) + 1
            kept = sorted(k for k, c in counts.items() if k != "\0NULL" and c >= MIN_CELL)
            any_rare = any(c < MIN_CELL for k, c in counts.items())
            order = kept + (["__OTHER__"] if any_rare else []) + (["__NULL__"] if counts.get("\0NULL", 0) >= MIN_CELL else [])
            if len(order) < 2:
                continue

            def level(x):
                if x is None:
                    return "__NULL__" if counts.get("\0NULL", 0) >= MIN_CELL else "__OTHER__"
                return x if counts[x] >= MIN_CELL else "__OTHER__"

            lv = [level(x) for x in text]
            for name in order[1:]:
                cols[f"{f}={name}"] = np.array([1.0 if l == name else 0.0 for l in lv])
    return cols


def fit(y, arm, k, baseline, groups, use_t, alpha, covs=None):
    """Rows per arm: effect vs baseline (or baseline mean), SE, stat, p, CI, and the arm mean with its CI."""
    n = len(y)
    dummies = [j for j in range(k) if j != baseline]
    cols = [np.ones(n)] + [(arm == j).astype(float) for j in dummies]
    names = ["const"] + [f"arm{j}" for j in dummies]
    if covs:
        for name, c in covs.items():
            cc = c - c.mean()
            cols.append(cc)
            names.append(name)
            for j in dummies:
                cols.append(cc * (arm == j))
                names.append(f"arm{j}:{name}")
    X = np.column_stack(cols)
    model = sm.OLS(y, X)
    if groups is None:
        res = model.fit(cov_type="HC1", use_t=use_t)
    else:
        res = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=use_t)
    rows = []
    for j in range(k):
        L = np.zeros(len(names))
        if j == baseline:
            L[0] = 1
        else:
            L[names.index(f"arm{j}")] = 1
        t = res.t_test(L)
        Lm = np.zeros(len(names))
        Lm[0] = 1
        if j != baseline:
            Lm[names.index(f"arm{j}")] = 1
        tm = res.t_test(Lm)
        ci = np.squeeze(t.conf_int(alpha=alpha))
        mci = np.squeeze(tm.conf_int(alpha=alpha))
        rows.append({
            "estimate": float(np.squeeze(t.effect)), "std_error": float(np.squeeze(t.sd)), "t_stat": float(np.squeeze(t.tvalue)),
            "p_value": float(np.squeeze(t.pvalue)), "ci_lower": float(ci[0]), "ci_upper": float(ci[1]),
            "mean": float(np.squeeze(tm.effect)), "mean_ci_lower": float(mci[0]), "mean_ci_upper": float(mci[1]),
        })
    df = None
    if use_t:
        df = float(res.df_resid_inference) if groups is not None else float(res.df_resid)
    return {"arms": rows, "df": df, "nobs": int(n), "columns": list(covs.keys()) if covs else []}


def adjust_pvalues(results, key):
    """Holm and BH over every non-baseline arm of every metric, in metric then arm order."""
    at, ps = [], []
    for m, r in enumerate(results):
        for j, row in enumerate(r[key]["arms"]):
            if j != r["baseline"]:
                at.append((m, j))
                ps.append(row["p_value"])
    holm = multipletests(ps, method="holm")[1]
    bh = multipletests(ps, method="fdr_bh")[1]
    for (m, j), h, b in zip(at, holm, bh):
        results[m][key]["arms"][j]["p_value_holm"] = float(h)
        results[m][key]["arms"][j]["p_value_bh"] = float(b)


def analyse(frame, arms, k, metrics, weights, cluster_col, covariates, strata, kinds, alpha, baseline=0, unit="participants"):
    found = frame[~frame["absent"]].copy()
    out = {"num_participants": int(len(frame)), "num_missing_participants": int(frame["absent"].sum())}
    covs_all = {"covariates": encode(found, covariates, kinds)}
    if strata:
        covs_all["strata"] = encode(found, strata, kinds)
    per_inference = {}
    for inference in ("t", "z"):
        results = []
        for metric in metrics:
            mask = found[metric].notna().to_numpy()
            cc = found[mask]
            y = cc[metric].astype(float).to_numpy()
            arm = cc["arm"].to_numpy()
            groups = pd.factorize(cc[cluster_col])[0] if cluster_col else None
            assigned = [int((frame["arm"] == j).sum()) for j in range(k)]
            observed = [int((arm == j).sum()) for j in range(k)]
            entry = {
                "metric": metric, "baseline": baseline,
                "num_missing_values": [a - o for a, o in zip(assigned, observed)],
                "num_observations": observed,
                "unadjusted": fit(y, arm, k, baseline, groups, inference == "t", alpha),
            }
            for source, covs in covs_all.items():
                sub = {name: col[mask] for name, col in covs.items()}
                entry[f"adjusted_{source}"] = fit(y, arm, k, baseline, groups, inference == "t", alpha, sub)
            results.append(entry)
        adjust_pvalues(results, "unadjusted")
        adjust_pvalues(results, "adjusted_covariates")
        if strata:
            adjust_pvalues(results, "adjusted_strata")
        per_inference[inference] = results
    out["results"] = per_inference
    # The baseline option: the same unadjusted z analysis against arm 1.
    if baseline == 0:
        alt = []
        for metric in metrics:
            mask = found[metric].notna().to_numpy()
            cc = found[mask]
            groups = pd.factorize(cc[cluster_col])[0] if cluster_col else None
            alt.append({"metric": metric, "baseline": 1, "unadjusted": fit(cc[metric].astype(float).to_numpy(), cc["arm"].to_numpy(), k, 1, groups, False, alpha)})
        adjust_pvalues(alt, "unadjusted")
        out["baseline_1_z"] = alt
    if unit == "clusters":
        observed = [int(frame[frame["arm"] == j][cluster_col].nunique()) for j in range(k)]
    else:
        observed = [int((frame["arm"] == j).sum()) for j in range(k)]
    w = np.array(weights, float)
    expected = sum(observed) * w / w.sum()
    r = scipy.stats.chisquare(observed, expected)
    out["srm"] = {"unit": unit, "observed": observed, "expected": expected.tolist(), "chi_square": float(r.statistic), "p_value": float(r.pvalue), "df": k - 1}
    out["adjustment_columns"] = {source: list(c.keys()) for source, c in covs_all.items()}
    return out


def expected():
    data = json.loads((OUT / "http-participants.json").read_text())
    assignments = json.loads((OUT / "http-assignments.json").read_text())
    t = data["trial"]
    trial_arms = [assignments["trial"][pid] for pid in t["id"]]
    trial_y = trial_outcomes(t, trial_arms)
    trial = pd.DataFrame({
        "id": t["id"], "region": t["region"], "segment": t["segment"], "x1": t["x1"], "absent": t["absent"],
        "arm": trial_arms, "y_num": trial_y["y_num"], "y_bin": [None if v is None else float(v) for v in trial_y["y_bin"]],
    })
    kinds = {"x1": "numeric", "segment": "categorical", "region": "categorical"}
    trial_expected = analyse(trial, np.array(trial_arms), 3, ["y_num", "y_bin"], [40, 30, 30], None, ["x1", "segment"], ["region"], kinds, 0.05)

    s = data["schools_trial"]
    school_arms = [assignments["schools_trial"][pid] for pid in s["id"]]
    school_y = school_outcomes(s, school_arms)
    schools = pd.DataFrame({"id": s["id"], "school": s["school"], "x1": s["x1"], "absent": s["absent"], "arm": school_arms, "y_num": school_y["y_num"]})
    school_expected = analyse(schools, np.array(school_arms), 2, ["y_num"], [1, 1], "school", ["x1"], [], {"x1": "numeric"}, 0.1, unit="clusters")

    out = {
        "generated_by": versions("expected"),
        "trial": {"outcomes": trial_y, "expected": trial_expected},
        "schools_trial": {"outcomes": school_y, "expected": school_expected},
    }
    (OUT / "http-expected.json").write_text(json.dumps(out, indent=1) + "\n")
    print("wrote http-expected.json")


if __name__ == "__main__":
    step = sys.argv[1] if len(sys.argv) > 1 else ""
    if step == "participants":
        participants()
    elif step == "expected":
        expected()
    else:
        sys.exit("usage: analysis_http.py participants|expected")
