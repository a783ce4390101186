"""No figure or table is stale after a change of the config and its undoing: Snakemake's
own rerun triggers (the set of inputs included, see the profiles) redraw every output whose
runs the setting chose, and retrain nothing that was trained.

Real snakemake on a copy of the session's finished tiny project; trains the runs that the
changed default L1 weight asks for (four tiny runs), and draws one output of each kind.
"""

import csv
import io

# Every kind of figure and table whose inputs the default L1 weight chooses: its rule, and
# one output that it makes.
KINDS = {
    "plot_history": "results/fig_n_200.png",
    "plot_curves": "results/fig_curves_n.png",
    "plot_sweep": "results/fig_sweep_n.png",
    "plot_architectures": "results/fig_architectures.png",
    "experiments_table": "results/experiments.csv",
    "experiments_summary": "results/experiments_summary.csv",
    "runs_table": "results/runs.csv",
    "model_summary": "results/summary_baseline.txt",
    "look": "results/claims/look0.json",
    "claims": "results/claims.md",
}
TARGETS = list(KINDS.values())


def inputs_by_output(project) -> dict[str, set[str]]:
    """Each output's inputs as Snakemake recorded them (``--detailed-summary``)."""
    summary = project.snakemake("--detailed-summary").stdout
    rows = csv.DictReader(io.StringIO(summary), delimiter="\t")
    return {row["output_file"]: set(row["input-file(s)"].split(",")) for row in rows}


def test_every_output_is_redrawn_after_a_setting_and_its_undoing(finished_tiny, tmp_path):
    project = finished_tiny.copy(tmp_path / "wf")
    before = inputs_by_output(project)
    config = project.config
    original = config["defaults"]["l1"]
    drawn = {out: project.path(out).stat().st_mtime_ns for out in TARGETS}
    config["defaults"]["l1"] = 0.001
    project.write_config(config)
    project.snakemake(*TARGETS)
    assert all(project.path(out).stat().st_mtime_ns > drawn[out] for out in TARGETS)
    between = inputs_by_output(project)
    changed = {out for out in before if out in between and between[out] != before[out]}
    assert "results/fig_curves_n.png" in changed and "results/fig_n_200.png" in changed

    config["defaults"]["l1"] = original
    project.write_config(config)
    planned = project.planned_jobs(*TARGETS)
    assert "train" not in planned and set(KINDS) <= set(planned), planned
    project.snakemake(*TARGETS)
    after = inputs_by_output(project)
    assert {out: after[out] for out in before} == before
    assert project.planned_jobs() == {}
