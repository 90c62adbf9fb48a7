"""Peers side by side: RCAEval's N-Sigma and BARO, and PyRCA's epsilon-diagnosis, on the same cases.

Reads the same suite file as `rootgraph eval rca --suite` (bench/rca-suite.json) and prints AC@1 / AC@3 /
Avg@5 per dataset on its test cases. One configuration each (the packages' defaults), on the same windows rootgraph uses:
  anomalous = rows from the incident start to an hour after it; normal = rows before the start or more
  than two hours after it (a case's normal day may come after the incident, as in PetShop);
  each method ranks metric columns; an entity ranks where its first column does.
Columns are renamed c0, c1, ... so no package drops or keeps a column by its name.

Setup (optional; not needed by rootgraph):
  python3 -m venv .cache/peers && .cache/peers/bin/pip install RCAEval "numpy<2" pandas "scikit-learn<1.2" scipy
  .cache/peers/bin/pip install requests tqdm  # RCAEval 1.8 imports them and does not declare them
  .cache/peers/bin/pip install --no-deps sfr-pyrca  # its javabridge dependency does not build here; not needed for these methods
  .cache/peers/bin/pip install pyyaml dill schema  # what PyRCA's epsilon-diagnosis imports of the skipped dependencies
Run:
  .cache/peers/bin/python bench/rca-peers.py bench/rca-suite.json
"""
import json
import os
import re
import sys
import types
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")

# RCAEval's e2e package imports rcd/mmrcd/torai eagerly on Python 3.11 (they need torch and causal-learn);
# the methods used here do not, so stand-ins let the package import.
for _m in ("rcd", "mmrcd", "torai"):
    stub = types.ModuleType(f"RCAEval.e2e.{_m}")
    setattr(stub, _m, None)
    sys.modules[f"RCAEval.e2e.{_m}"] = stub

from RCAEval.e2e import nsigma  # noqa: E402
from RCAEval.e2e.baro import baro  # noqa: E402


def epsilon_diagnosis(data, n_normal):
    from pyrca.analyzers.epsilon_diagnosis import EpsilonDiagnosis, EpsilonDiagnosisConfig

    cols = [c for c in data.columns if c != "time" and data[c].std() > 0]
    normal = data.head(n_normal)[cols]
    anomal = data.tail(len(data) - n_normal)[cols]
    n = min(len(normal), len(anomal))
    model = EpsilonDiagnosis(config=EpsilonDiagnosisConfig(alpha=0.01))
    model.train(normal.tail(n))
    res = model.find_root_causes(anomal.head(n)).to_dict()["root_cause_nodes"]
    return {"ranks": [x[0] for x in sorted(res, key=lambda x: x[1], reverse=True)]}


METHODS = {
    "RCAEval N-Sigma": lambda d, n: nsigma(d, anomalies=[n], dataset="rootgraph-case"),
    "RCAEval BARO": lambda d, n: baro(d, anomalies=[n], dataset="rootgraph-case"),
    "PyRCA epsilon-diagnosis": epsilon_diagnosis,
}


# PEERS=nsigma,baro runs a subset (epsilon-diagnosis is slow on Sock Shop's ~550 columns).
_KEYS = {"nsigma": "RCAEval N-Sigma", "baro": "RCAEval BARO", "epsilon": "PyRCA epsilon-diagnosis"}
if os.environ.get("PEERS"):
    METHODS = {_KEYS[k]: METHODS[_KEYS[k]] for k in os.environ["PEERS"].split(",")}


def selects(selector, name, truth):
    if selector is None:
        return True
    if selector.startswith("part:"):
        return truth.get("part") == selector[5:]
    return re.search(selector, name) is not None


WINDOW_S = 3600


def load_case(folder):
    df = pd.read_csv(os.path.join(folder, "metrics.csv"))
    entities = {}
    renamed = {"timestamp": "time"}
    for i, col in enumerate(df.columns[1:]):
        renamed[col] = f"c{i}"
        entities[f"c{i}"] = col.split("|", 1)[0]
    df = df.rename(columns=renamed).sort_values("time")
    df = df.ffill().bfill().fillna(0)
    start = json.load(open(os.path.join(folder, "incident.json")))["start"]
    t = df["time"]
    anomalous = (t >= start) & (t <= start + WINDOW_S)
    normal = (t < start) | (t > start + 2 * WINDOW_S)
    # Normal rows first, then the incident window: the packages' `anomalies=[n]` split.
    ordered = pd.concat([df[normal], df[anomalous]])
    return ordered, int(normal.sum()), entities


def entity_rank(ranked_cols, entities, truth_entity):
    seen = []
    for c in ranked_cols:
        e = entities.get(c)
        if e is not None and e not in seen:
            seen.append(e)
    return seen.index(truth_entity) + 1 if truth_entity in seen else 0


def accuracy(ranks):
    at = lambda k: sum(1 for r in ranks if 1 <= r <= k) / max(1, len(ranks))  # noqa: E731
    return at(1), at(3), sum(at(k) for k in range(1, 6)) / 5


def main(suite_file):
    base = os.path.dirname(os.path.abspath(suite_file))
    suite = json.load(open(suite_file))
    rows = []
    for ds in suite["datasets"]:
        cases_dir = os.path.normpath(os.path.join(base, ds["cases"]))
        truth_file = os.path.normpath(os.path.join(base, ds["truth"])) if "truth" in ds else os.path.join(cases_dir, "truth.json")
        if not os.path.isdir(cases_dir):
            print(f"skip {ds['name']}: {cases_dir} not found", file=sys.stderr)
            continue
        truth = json.load(open(truth_file))
        if os.environ.get("DATASETS") and ds["name"] not in os.environ["DATASETS"].split(","):
            continue
        ranks = {m: [] for m in METHODS}
        for name in sorted(os.listdir(cases_dir)):
            if name not in truth or not selects(ds.get("test"), name, truth[name]):
                continue
            df, start, entities = load_case(os.path.join(cases_dir, name))
            for m, run in METHODS.items():
                try:
                    out = run(df, start)
                    ranks[m].append(entity_rank(out["ranks"], entities, truth[name]["entity"]))
                except Exception as err:  # a method that fails on a case misses it
                    print(f"{m} failed on {name}: {type(err).__name__}: {err}", file=sys.stderr)
                    ranks[m].append(0)
        for m in METHODS:
            a1, a3, a5 = accuracy(ranks[m])
            rows.append((ds["name"], m, len(ranks[m]), a1, a3, a5))
            print(f"{ds['name']:<22} {m:<26} {len(ranks[m]):>4}  {a1:.2f} / {a3:.2f} / {a5:.2f}", flush=True)
    return rows


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/rca-suite.json")
