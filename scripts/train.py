"""Train one run and save its model, history, summary, metrics, reports and confusion matrices."""

from convlab.logs import redirect_to_log

redirect_to_log(snakemake.log[0])

import pandas as pd  # noqa: E402
import tensorflow as tf  # noqa: E402

from convlab.cifar10 import load_npz  # noqa: E402
from convlab.files import atomic_path, write_json  # noqa: E402
from convlab.models import summary_text  # noqa: E402
from convlab.training import (  # noqa: E402
    configure_tensorflow, device_name, evaluate_run, final_epoch, train_run,
)

run = snakemake.params.run
settings = snakemake.params.settings
out = snakemake.output
configure_tensorflow(snakemake.threads, run["seed"])
data = load_npz(snakemake.input.data)
device = device_name()
print(f"run {run['arch']} n={run['n']} l1={run['l1']} epochs={run['epochs']} seed={run['seed']}: "
      f"{device}, {snakemake.threads} thread(s), TensorFlow {tf.__version__}")

model, history, fit = train_run(
    data, run["layers"], run["n"], run["l1"], run["epochs"], run["seed"], settings
)
print(f"fit: {fit['seconds']:.1f} s")
metrics, reports, confusions = evaluate_run(
    model, data, run["n"], settings["classes"], settings["batch_size"]
)

with atomic_path(out.model) as partial:
    model.save(partial)
with atomic_path(out.history) as partial:
    pd.DataFrame(history).rename_axis("epoch").rename(lambda i: i + 1).to_csv(partial)
with atomic_path(out.summary) as partial:
    partial.write_text(summary_text(model), encoding="utf-8")
for split in ("train", "test"):
    with atomic_path(out[f"report_{split}"]) as partial:
        partial.write_text(reports[split], encoding="utf-8")
    with atomic_path(out[f"confusion_{split}"]) as partial:
        confusions[split].to_csv(partial)
write_json(out.metrics, {
    **{key: run[key] for key in ("arch", "n", "l1", "epochs", "seed")},
    **final_epoch(history), **metrics,
    "fit_seconds": round(fit["seconds"], 3), "fit_start": fit["start"], "fit_end": fit["end"],
    "device": device, "threads": snakemake.threads,
    "params": model.count_params(), "tensorflow": tf.__version__,
})
print(f"test accuracy {metrics['test_accuracy']:.4f} (dummy {metrics['dummy_test_accuracy']:.4f})")
