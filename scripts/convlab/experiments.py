"""All runs in one table, and one row per configuration with its replicates summarised (the
claims that compare them are in convlab.claims)."""

import json
from pathlib import Path

import numpy as np
import pandas as pd

from convlab.runs import CONFIGURATION, FIELDS

COLUMNS = [
    *FIELDS,
    "params",
    "device",
    "fit_seconds",
    "jobs_at_once",
    "fit_start",
    "fit_end",
    "train_accuracy",
    "val_accuracy",
    "train_loss",
    "val_loss",
    "test_accuracy",
    "test_loss",
    "dummy_test_accuracy",
    "train_val_gap",
]
SUMMARISED = ["test_accuracy", "val_accuracy", "train_val_gap", "fit_seconds"]


def collect(metrics_paths) -> pd.DataFrame:
    """One row per run's metrics.json, in the given order, with stable column names.

    ``jobs_at_once`` is the most training jobs of this table whose fits overlapped this
    run's fit (itself included): a fit time is comparable only to one measured alike.
    """
    rows = []
    for path in metrics_paths:
        with open(path, encoding="utf-8") as file:
            rows.append(json.load(file))
    table = pd.DataFrame(rows)
    if "variant" not in table:  # runs trained before variants were named
        table["variant"] = ""
    table["variant"] = table["variant"].fillna("")
    table["train_val_gap"] = table["train_accuracy"] - table["val_accuracy"]
    table["jobs_at_once"] = jobs_at_once(table["fit_start"], table["fit_end"])
    return table[COLUMNS]


def read_table(path) -> pd.DataFrame:
    """A table that ``collect`` wrote, read back (a run without variant reads as "")."""
    return pd.read_csv(path, dtype={"variant": str}).fillna({"variant": ""})


# What results/runs.csv adds from a run's run.json: every training setting and option of the
# optimizer and of each layer as its own column (``optimizer``, ``optimizer.learning_rate``,
# ``layer4.Dropout.rate``), and a short sha256 of the data's content and of the state key.
IDENTITY = ["data_sha256", "state_key"]


def all_runs(folders, configured) -> pd.DataFrame:
    """One row per trained run in ``folders`` (each a run's folder with its metrics.json and,
    for runs trained since run.json held them, its settings and identity): the run's name,
    whether the config asks for it now, its parameters and settings, its identity's hashes,
    and the columns of ``collect``. A setting a run does not have (a layer of another net)
    is empty."""
    folders, configured = [Path(folder) for folder in folders], set(configured)
    names = [folder.name for folder in folders]
    settings = pd.DataFrame([_settings(folder / "run.json") for folder in folders]).convert_dtypes()
    table = pd.concat(
        [
            pd.DataFrame({"run": names, "configured": [name in configured for name in names]}),
            collect([folder / "metrics.json" for folder in folders]),
            settings,
        ],
        axis=1,
    )
    shape = [column for column in settings.columns if column not in IDENTITY]
    identity = [column for column in IDENTITY if column in settings]
    first = ["run", "configured", *CONFIGURATION, "seed", *shape, *identity]
    return table[first + [column for column in table.columns if column not in first]]


def _settings(record_path: Path) -> dict:
    """A run's settings, layers and identity from its run.json, flat: one column each."""
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    row = {}
    for key, value in record.get("settings", {}).items():
        if key == "optimizer" and isinstance(value, dict):
            ((name, options),) = value.items()
            row["optimizer"] = name
            row |= {f"optimizer.{option}": v for option, v in options.items()}
        else:
            row[key] = " ".join(value) if isinstance(value, list) else value
    for index, spec in enumerate(record.get("layers") or []):
        for kind, options in spec.items():
            row[f"layer{index}"] = kind
            row |= {
                f"layer{index}.{kind}.{option}": json.dumps(v) if isinstance(v, list) else v
                for option, v in (options or {}).items()
            }
    return row | {
        "data_sha256": (record.get("data") or {}).get("sha256", "")[:12] or None,
        "state_key": (record.get("state_key") or "")[:12] or None,
    }


def jobs_at_once(starts, ends) -> list[int]:
    """For each interval [start, end), the largest number of intervals running at one
    instant within it. The most overlaps occur at some interval's start within it, so: the
    count at every start (by sorting), and the largest of those in each interval's range of
    starts (a sparse table of maxima): O(n log n) for n runs."""
    starts, ends = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    if not len(starts):
        return []
    instants = np.sort(starts)
    ended = np.sort(ends)
    # Running at an instant t: started at or before t, not ended at or before t.
    running = np.searchsorted(instants, instants, "right") - np.searchsorted(
        ended, instants, "right"
    )
    table = [running]  # table[k][i]: the largest of running[i : i + 2**k]
    while 1 << len(table) <= len(running):
        step = 1 << (len(table) - 1)
        table.append(np.maximum(table[-1][:-step], table[-1][step:]))
    low = np.searchsorted(instants, starts, "left")
    high = np.maximum(np.searchsorted(instants, ends, "left"), low + 1)  # its own start at least
    counts = []
    for a, b in zip(low, high):
        level = int(b - a).bit_length() - 1
        counts.append(int(max(table[level][a], table[level][b - (1 << level)])))
    return counts


def span(values) -> str:
    """The range of some integer counts as text: "2", or "1-3"."""
    counts = sorted({int(value) for value in values})
    return f"{counts[0]}" if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """One row per configuration: its replicate count and seeds, and for test accuracy,
    validation accuracy, train-validation gap and fit time the mean, the standard deviation
    and the 95 % confidence interval of the mean (Student's t; empty with one replicate)."""
    from convlab.stats import mean_interval  # here: scipy and statsmodels take a second

    rows = []
    for key, group in table.groupby(list(CONFIGURATION), sort=False, dropna=False):
        row = dict(zip(CONFIGURATION, key))
        row["replicates"] = len(group)
        row["seeds"] = " ".join(str(seed) for seed in group["seed"])
        for column in SUMMARISED:
            interval = mean_interval(group[column])
            row.update(
                {
                    f"{column}_mean": interval.mean,
                    f"{column}_std": interval.std,
                    f"{column}_ci_low": interval.low,
                    f"{column}_ci_high": interval.high,
                }
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _matches(table: pd.DataFrame, run: dict) -> pd.Series:
    """The rows of the configuration ``run``."""
    return (table[list(CONFIGURATION)] == pd.Series(run)[list(CONFIGURATION)]).all(axis=1)


def select(table: pd.DataFrame, runs) -> pd.DataFrame:
    """The rows (every replicate) of the configurations ``runs``, in their order."""
    return pd.concat([table[_matches(table, run)] for run in runs], ignore_index=True)


def by_seed(table: pd.DataFrame, run: dict, column: str) -> dict:
    """{seed: value} of one configuration's replicates in the table (empty if it has none)."""
    match = table[_matches(table, run)]
    return dict(zip(match["seed"], match[column]))
