"""Train one run and save its model, history, summary, metrics, reports and confusion matrices.

The training state is saved at every epoch end (results/checkpoints/<run>/state.npz), and
when done is also the run's state.npz, so a killed job resumes at its last finished epoch and a
longer run continues from this one (see convlab.checkpoints).
"""

import platform
import time
from pathlib import Path

import pandas as pd

from convlab.checkpoints import (
    STATE_FILE,
    checkpoint_path,
    latest_state,
    resume_note,
    save_state,
    state_key,
    with_segment,
)
from convlab.devices import no_gpu_seen
from convlab.files import atomic_path, link_or_copy, write_json
from convlab.jobs import UserError, start_job, start_up_noise_kept_out
from convlab.prepared import load_npz
from convlab.progress import Progress
from convlab.provenance import run_record
from convlab.runs import RUN_FIELDS, run_name
from convlab.slots import take_place

job_start = time.time()
start_job(snakemake.log[0])
# Before TensorFlow starts: this job's GPU, or its place among the trainings on the cores.
place = take_place(snakemake.resources.pool, snakemake.threads)

run = snakemake.params.run
identity = {key: run[key] for key in RUN_FIELDS}  # arch, n, l1, epochs, variant, seed
settings = snakemake.params.settings
out = snakemake.output
# TensorFlow starts here; its start-up lines that read as failures stay out of the log.
with start_up_noise_kept_out(gpu=place.device == "gpu"):
    import tensorflow as tf

    from convlab.models import summary_text
    from convlab.training import (
        configure_tensorflow,
        device_name,
        evaluate_run,
        final_epoch,
        train_run,
    )

    threads = place.threads()
    configure_tensorflow(threads, run["seed"])
    gpus_seen = tf.config.list_physical_devices("GPU")
    device = device_name()
if place.device == "gpu" and not gpus_seen:
    build = tf.sysconfig.get_build_info()
    raise UserError(no_gpu_seen(place.gpu, tf.__version__, build.get("is_cuda_build", False)))
data = load_npz(snakemake.input.data)
where = {"device": device, "gpu": place.gpu, "threads": threads, "host": platform.node()}
gpu_note = f" {place.gpu} (CUDA_VISIBLE_DEVICES)" if place.gpu else ""
print(
    f"run {run['arch']}{run['variant']} n={run['n']} l1={run['l1']} epochs={run['epochs']} "
    f"seed={run['seed']}: {where['device']}{gpu_note}, {threads} thread(s), "
    f"TensorFlow {tf.__version__}; settings {settings}"
)

# Where states live: this run's checkpoint, and the final state in each run folder of the same
# run with any number of epochs (this one's own, after its outputs were lost).
folder = Path(out.metrics).parent
checkpoint = checkpoint_path(folder)
same_run = run_name(**{**identity, "epochs": "*"})
key = state_key(run, settings, snakemake.input.code, snakemake.input.data_content)
resume_from = latest_state(
    [checkpoint, *sorted(folder.parent.glob(f"{same_run}/{STATE_FILE}"))], key, run["epochs"]
)
first = resume_from.meta["epoch"] if resume_from else 0
earlier = resume_from.meta.get("segments", []) if resume_from else []
if resume_from:
    print(f"resuming from epoch {first} of {resume_from.path}", flush=True)
    if note := resume_note(earlier, where):
        print(note, flush=True)
else:
    print("training from scratch (no saved state of this run)", flush=True)

progress = Progress.begin(checkpoint.parent, folder.name, first, run["epochs"])


def epoch_end(epoch, model, history, seconds):
    """Save the state (a killed job resumes here), and say how far the training is."""
    save_state(
        checkpoint, key, epoch, model, history, seconds, with_segment(earlier, first, epoch, where)
    )
    print(progress.epoch_done(epoch, history), flush=True)


model, history, fit = train_run(
    data,
    run["layers"],
    run["n"],
    run["l1"],
    run["epochs"],
    run["seed"],
    settings,
    resume_from,
    on_epoch_end=epoch_end,
)
progress.end()
segments = with_segment(earlier, first, run["epochs"], where)
if first == run["epochs"]:  # finished before, its outputs lost: write them again
    save_state(checkpoint, key, first, model, history, fit["total_seconds"], segments)
print(f"fit: {fit['seconds']:.1f} s in this job, {fit['total_seconds']:.1f} s in all")
metrics, reports, confusions = evaluate_run(model, data, run["n"], run["seed"], settings)

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
write_json(
    out.metrics,
    {
        **identity,
        **final_epoch(history),
        **metrics,
        "fit_seconds": round(fit["total_seconds"], 3),
        "fit_seconds_this_job": round(fit["seconds"], 3),
        "resumed_from_epoch": first,
        "job_start": job_start,
        "fit_start": fit["start"],
        "fit_end": fit["end"],
        "job_end": time.time(),  # all but the files written after this one
        "device": where["device"],
        "gpu": where["gpu"],
        "threads": threads,
        "params": model.count_params(),
        "tensorflow": tf.__version__,
    },
)
write_json(
    out.provenance,
    run_record(
        identity,
        run["layers"],
        settings,
        snakemake.input.data_content,
        [*snakemake.input.code, snakemake.input.data_content],
        key,
        segments,
    ),
)
# The final state is the run's state.npz, where a longer run of the same net (or the store)
# finds it, and stays in results/checkpoints/<run>/ as the same file (no extra space):
# Snakemake deletes a job's outputs before it runs the job again (after an interruption left
# it marked incomplete), and the outputs are then written again from there, untrained.
link_or_copy(checkpoint, out.state)
print(f"test accuracy {metrics['test_accuracy']:.4f} (dummy {metrics['dummy_test_accuracy']:.4f})")
