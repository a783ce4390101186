"""Train one run and save its model, history, summary, metrics, reports and confusion matrices.

The training state is saved at every epoch end (the rule's checkpoint) and when done is also
the run's state.npz, so a killed job resumes at its last finished epoch and a longer run
continues from this one (convlab.checkpoints).
"""

import glob
import platform
import time
from pathlib import Path

from convlab.backends import chosen, no_gpu_seen, start, unsupported
from convlab.checkpoints import Resumption, state_key
from convlab.determinism import environment, seed_everything
from convlab.devices import job_pool
from convlab.errors import UserError
from convlab.files import write_json
from convlab.jobs import start_job, start_up_noise_kept_out
from convlab.prepared import load_npz
from convlab.progress import Progress
from convlab.provenance import run_record
from convlab.slots import take_place

job_start = time.time()
start_job(snakemake.log[0])
# Before Keras starts: this job's GPU, or its place among the trainings on the cores.
pool = job_pool(snakemake.resources, snakemake.config)
place = take_place(pool, snakemake.threads, snakemake.resources.get("gpu", 0))

run = snakemake.params.run
identity = {key: value for key, value in run.items() if key != "layers"}  # the run's fields
settings = snakemake.params.settings
out = snakemake.output
if mistake := unsupported(chosen()):
    raise UserError(mistake)
# Keras starts here, on its backend; its start-up lines that read as failures stay out of
# the log.
gpu = place.device == "gpu"
with start_up_noise_kept_out(gpu=gpu):
    threads = place.threads()
    backend = start(threads, gpu, deterministic=environment(chosen(), gpu))
    seed_everything(backend.name, run["seed"])

    from convlab.training import evaluate_run, final_epoch, save_run_files, train_run
if gpu and not backend.gpus:
    raise UserError(no_gpu_seen(place.gpu, backend))
data = load_npz(snakemake.input.data)
where = {
    "device": backend.device,
    "backend": backend.name,
    "gpu": place.gpu,
    "threads": threads,
    "host": platform.node(),
}
gpu_note = f" {place.gpu} (CUDA_VISIBLE_DEVICES)" if place.gpu else ""
print(
    f"run {run['arch']}{run['variant']} n={run['n']} l1={run['l1']} epochs={run['epochs']} "
    f"seed={run['seed']}: {where['device']}{gpu_note}, {threads} thread(s), "
    f"{backend.label}; settings {settings}"
)
if place.shared_line:
    print(place.shared_line)

key = state_key(run, settings, snakemake.input.code, snakemake.input.data_content)
# The state it may continue from: its shorter run's, as the job was handed it (a pattern that
# matches that file alone; one that matches nothing where there is none).
shorter = snakemake.input.shorter_run
finished = glob.escape(shorter[0]) if shorter else ""
checkpoint = snakemake.params.checkpoint
resumption = Resumption.find(checkpoint, finished, key, run["epochs"], where)
print("\n".join(resumption.opening_lines(run["epochs"])), flush=True)
run_folder = Path(out.metrics).parent.name
progress = Progress.begin(
    resumption.checkpoint.parent, run_folder, resumption.first, run["epochs"], place.shared_line
)


def epoch_end(epoch, model, history, seconds):
    """Save the state (a killed job resumes here), and say how far the training is."""
    resumption.save(epoch, model, history, seconds)
    print(progress.epoch_done(epoch, history), flush=True)


model, history, fit = train_run(
    data,
    run["layers"],
    run["n"],
    run["l1"],
    run["epochs"],
    run["seed"],
    settings,
    resumption.start,
    on_epoch_end=epoch_end,
)
progress.end()
print(f"fit: {fit['seconds']:.1f} s in this job, {fit['total_seconds']:.1f} s in all")
metrics, reports, confusions = evaluate_run(model, data, run["n"], run["seed"], settings)
save_run_files(out, model, history, reports, confusions)
write_json(
    out.metrics,
    {
        **identity,
        **final_epoch(history),
        **metrics,
        "fit_seconds": round(fit["total_seconds"], 3),
        "fit_seconds_this_job": round(fit["seconds"], 3),
        "resumed_from_epoch": resumption.first,
        "job_start": job_start,
        "fit_start": fit["start"],
        "fit_end": fit["end"],
        "last_epoch_end": fit["last_epoch_end"],
        "job_end": time.time(),  # all but the files written after this one
        "device": where["device"],
        "gpu": where["gpu"],
        "threads": threads,
        "params": model.count_params(),
        "backend": backend.name,
        "backend_version": backend.version,
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
        resumption.segments(run["epochs"]),
    ),
)
# The final state is the run's state.npz too, where a longer run of the same net finds it.
resumption.keep_final(run["epochs"], model, history, fit["total_seconds"], out.state)
print(f"test accuracy {metrics['test_accuracy']:.4f} (dummy {metrics['dummy_test_accuracy']:.4f})")
