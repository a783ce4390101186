"""The plan of a project: every run, figure and table its config asks for, built once per
invocation from the validated config alone, with no Snakemake in it (the rules read it).

``build(config, schema, passed, train_size)`` checks the config (one ConfigError line per
mistake), shapes every net (convlab.architecture_check, convlab.studies) and returns a
``Plan``; ``Plan(config, shapes, train_size)`` is the same from shapes already made (the
unit tests give their own). ``train_size`` is called only when a target names an n, so that
a plan of Part 1 never reads the data.

A *configuration* is a dict of convlab.runs.CONFIGURATION; a *run* is a convlab.runs.Run, a
configuration with a seed.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from convlab.architecture_check import check_colormap, check_once
from convlab.claims import declare, first_counts, schedule
from convlab.config import ConfigError, check_conv, check_runs, schema_error
from convlab.datasource import read_record
from convlab.runs import CONFIGURATION, RUN_FILES, RUN_FOLDER, RUNS, Run, canonical_number
from convlab.splits import smallest_n, split_sizes
from convlab.studies import Shapes, labelled_nets, shapes, sweep_names, sweep_points
from convlab.targets import (
    TargetError,
    architecture_runs,
    configured_runs,
    history_figure,
    history_figure_constraint,
    history_figure_names,
    history_figure_run,
    known_name,
    l1_weight,
    positive_int,
    replicate_seeds,
    seed_value,
)

LOOK = "results/claims/look{index}.json"
# A longer run of the same configuration but its epochs continues a shorter one.
SAME_NET = tuple(key for key in CONFIGURATION if key != "epochs")


def build(config: dict, schema, passed, train_size: Callable[[], int]) -> "Plan":
    """The plan of a config, once its schema (the file ``schema``) and what a schema cannot
    say hold, and every net passes Keras's check (remembered in the file ``passed``)."""
    if mistake := schema_error(config, schema):
        raise ConfigError(mistake)
    check_conv(config["conv"])
    check_colormap(config["conv"]["colormap"], Path(passed).with_name("colormaps-passed.json"))
    check_runs(config)
    points = {
        name: sweep_points(config, name, lambda changed: schema_error(changed, schema))
        for name in sweep_names(config["sweeps"])
    }
    mistake, shaped = check_once(labelled_nets(config, points), passed)
    if mistake:
        raise ConfigError(mistake)
    return Plan(config, shapes(config, points, shaped), train_size)


@dataclass(frozen=True)
class Plan:
    config: dict
    shapes: Shapes
    train_size: Callable[[], int]

    # The runs.
    @cached_property
    def counts(self) -> list[int]:
        """The replicates at each look of the claims (convlab.claims.schedule)."""
        return schedule(self.config["replicates"])

    @cached_property
    def seeds(self) -> list[int]:
        """The first count's seeds, which every configured run has."""
        return replicate_seeds(self.config, self.counts[0])

    @cached_property
    def all_seeds(self) -> list[int]:
        """The seeds a run may get, when the looks ask for more."""
        return replicate_seeds(self.config, self.counts[-1])

    @cached_property
    def configured(self) -> list[dict]:
        return configured_runs(self.config, self.shapes)

    @cached_property
    def architecture_runs(self) -> list[dict]:
        return architecture_runs(self.shapes, self.config["defaults"])

    def replicates(self, configurations, seeds=None) -> list[Run]:
        """Every configuration with each seed (the first count's by default)."""
        seeds = self.seeds if seeds is None else seeds
        return [Run.of(run, seed) for run in configurations for seed in seeds]

    def counted(self, at: dict, others: int) -> list[Run]:
        """The replicates of every configured run, ``at[name]`` seeds of the configurations
        that ``at`` names (by their configuration name), ``others`` of the rest."""
        return [
            run
            for configuration in self.configured
            for run in self.replicates(
                [configuration],
                self.all_seeds[: at.get(Run.of(configuration, 0).configuration_name, others)],
            )
        ]

    def shape(self, run: Run) -> dict:
        """The canonical layers and training settings of a run."""
        return self.shapes.by_run[(run.arch, run.variant)]

    def net(self, run: Run) -> dict:
        """What a training job builds: the run's fields and its layers."""
        return {**run.fields, "layers": self.shape(run)["layers"]}

    def shorter(self, run: Run) -> Run | None:
        """The run of the same net and seed with the most configured epochs below ``run``'s,
        which it continues from (the config alone chooses it, never what is on disk)."""
        epochs = max(
            (
                c["epochs"]
                for c in self.configured
                if all(c[key] == getattr(run, key) for key in SAME_NET) and c["epochs"] < run.epochs
            ),
            default=0,
        )
        return run.but(epochs=epochs) if epochs else None

    def run(self, fields: dict, target: str) -> Run:
        """The run of the fields a target names (text or values), once each is valid, or a
        TargetError naming the target."""
        arch, variant = fields["arch"], fields["variant"]
        known_name(arch, "architecture", self.config["architectures"], target)
        if (arch, variant) not in self.shapes.by_run:
            variants = sorted(v or "(none)" for a, v in self.shapes.by_run if a == arch)
            raise TargetError(
                f"{target}: {arch} has no variant {variant!r} in this config; its variants "
                f"are: {', '.join(variants)} (results/runs.csv lists every trained run's "
                "settings)"
            )
        n = positive_int(str(fields["n"]), "n", target)
        if n > self.train_size():
            raise TargetError(
                f"{target}: n = {n} is larger than the training set ({self.train_size()} images)"
            )
        held_out = self.shapes.by_run[(arch, variant)]["settings"]["validation_split"]
        if split_sizes(n, held_out)[1] == 0:
            key = (
                "training.validation_split" if variant == self.shapes.base[arch] else "its sweep's"
            )
            raise TargetError(
                f"{target}: n = {n} leaves no validation images ({key} {held_out}); "
                f"use n >= {smallest_n(held_out)}"
            )
        return Run(
            arch,
            n,
            l1_weight(str(fields["l1"]), target),
            positive_int(str(fields["epochs"]), "epochs", target),
            variant,
            seed_value(str(fields["seed"]), target),
        )

    def trained(self, wildcards: dict) -> Run:
        """The run of a training job's wildcards, its L1 weight spelled canonically."""
        target = RUN_FOLDER.format(**wildcards)
        run = self.run(wildcards, target)
        if canonical_number(run.l1) != wildcards["l1"]:
            raise TargetError(
                f"{target}: write the L1 weight as {canonical_number(run.l1)}, its canonical "
                "spelling"
            )
        return run

    # History figures, results/fig_{name}.png (convlab.targets.HISTORY_FIGURES).
    @cached_property
    def history_figure_names(self) -> dict[str, list[str]]:
        return history_figure_names(self.config["sweeps"], self.shapes)

    @cached_property
    def history_figure_constraint(self) -> str:
        return history_figure_constraint(self.shapes)

    def history_run(self, name: str) -> Run:
        """The run a history figure draws (the config's defaults and seeds choose it)."""
        target = f"results/fig_{name}.png"
        run = history_figure_run(name, self.config["defaults"], self.shapes, self.seeds[0], target)
        return self.run(run, target)

    def configuration(self, name: str) -> dict:
        """The configuration behind a history figure."""
        target = f"results/fig_{name}.png"
        run = history_figure_run(name, self.config["defaults"], self.shapes, self.seeds[0], target)
        return {key: run[key] for key in CONFIGURATION}

    def history_group(self, name: str) -> str:
        """The report's group of a history figure (convlab.targets.HISTORY_FIGURES)."""
        return history_figure(name, self.shapes)[0].group

    def history_about(self, name: str) -> str:
        """The caption sentence of a history figure."""
        return history_figure(name, self.shapes)[0].about

    @cached_property
    def history_figures(self) -> list[str]:
        """The history figures of every sweep, and fig_<arch> for an architecture whose
        default run none of them draws (one that a user added)."""
        names = [name for names in self.history_figure_names.values() for name in names]
        drawn = [self.configuration(name) for name in names]
        return names + [run["arch"] for run in self.architecture_runs if run not in drawn]

    def history_labels(self, name: str) -> dict:
        """The report's labels of a history figure: its place in the config's order (the
        report sorts by label text), its file and its run."""
        names = self.history_figures
        place = names.index(name) if name in names else len(names)
        return {
            "#": f"{place + 1:03d}",
            "figure": f"fig_{name}.png",
            "run": self.history_run(name).name,
        }

    # The comparisons.
    @cached_property
    def claim_runs(self) -> dict:
        names = self.history_figure_names
        return {
            "default": self.configuration(f"n_{self.config['defaults']['n']}"),
            "n": [self.configuration(name) for name in names["n"]],
            "l1": [self.configuration(name) for name in names["l1"]],
            "maxpool": self.configuration("maxpool"),
            "deep": [self.configuration(name) for name in names["deep"]],
        }

    @cached_property
    def claims(self):
        return declare(self.claim_runs, self.config["claims"])

    def first_look(self) -> dict:
        """The replicates of each compared configuration at the first look."""
        return first_counts(self.claims, self.counts)

    def check_look(self, index: int) -> None:
        if index >= len(self.counts):
            raise TargetError(
                f"{LOOK.format(index=index)}: this config looks {len(self.counts)} time(s), "
                f"{LOOK.format(index=0)} to {LOOK.format(index=len(self.counts) - 1)} "
                "(replicates)"
            )

    @cached_property
    def sweeps(self) -> list[str]:
        """Every sweep with a figure of its values."""
        return ["n", "l1", *self.shapes.points]

    @cached_property
    def curve_sweeps(self) -> list[str]:
        return ["n", "l1", "deep", *self.shapes.points]

    def sweep_runs(self, sweep: str) -> list[tuple[dict, object]]:
        """[(configuration, its value on the sweep's axis)] of a sweep, in the config's
        order; an L1 weight as a number, so that the axis is one (0 is among them)."""
        if sweep == "deep":
            return [(c, f"n = {c['n']}, {c['epochs']} epochs") for c in self.claim_runs["deep"]]
        if sweep in ("n", "l1"):
            return [(c, c[sweep]) for c in self.claim_runs[sweep]]
        names = self.history_figure_names[sweep]
        return [
            (self.configuration(name), point.value)
            for name, (point, _) in zip(names, self.shapes.points[sweep])
        ]

    def sweep_configurations(self, sweep: str) -> list[dict]:
        return [configuration for configuration, _ in self.sweep_runs(sweep)]

    def sweep_values(self, sweep: str) -> list:
        return [value for _, value in self.sweep_runs(sweep)]

    def curve_histories(self, sweep: str) -> list[str]:
        """The histories of every replicate of a sweep's runs."""
        return [
            run.file("history.csv") for run in self.replicates(self.sweep_configurations(sweep))
        ]

    def curve_labels(self, sweep: str) -> list[str]:
        return [v if isinstance(v, str) else f"{v:g}" for v in self.sweep_values(sweep)]

    def sweep_label(self, sweep: str) -> str:
        """The axis label of a sweep's figures."""
        labels = {"n": "training points n", "l1": "L1 weight", "deep": "deep net"}
        return labels.get(sweep) or self.config["sweeps"][sweep]["setting"]

    def summary_layers(self, arch: str) -> list:
        known_name(
            arch, "architecture", self.config["architectures"], f"results/summary_{arch}.txt"
        )
        return self.shapes.by_run[(arch, self.shapes.base[arch])]["layers"]

    # Part 1: results/table_{kernel}_stride{stride}.tsv, results/fig_conv_{kernel}.png.
    def table_kernel(self, kernel: str, stride: str) -> list:
        kernels = self.config["conv"]["kernels"]
        target = f"results/table_{kernel}_stride{stride}.tsv"
        return kernels[known_name(kernel, "kernel", kernels, target)]

    def table_stride(self, kernel: str, stride: str) -> int:
        return positive_int(stride, "stride", f"results/table_{kernel}_stride{stride}.tsv")

    def heatmap_table(self, kernel: str) -> str:
        conv = self.config["conv"]
        known_name(kernel, "kernel", conv["kernels"], f"results/fig_conv_{kernel}.png")
        return f"results/table_{kernel}_stride{conv['heatmap_stride']}.tsv"

    # Every target.
    @cached_property
    def conv_targets(self) -> list[str]:
        conv = self.config["conv"]
        return [
            "results/conv_example.txt",
            "results/fig_heart.png",
            *(f"results/table_{k}_stride{conv['table_stride']}.tsv" for k in conv["kernels"]),
            *(f"results/fig_conv_{kernel}.png" for kernel in conv["kernels"]),
        ]

    @cached_property
    def part2_targets(self) -> list[str]:
        first_replicates = self.replicates(self.configured, self.seeds[:1])
        return [
            *(f"results/summary_{arch}.txt" for arch in self.config["architectures"]),
            *(f"results/fig_{name}.png" for name in self.history_figures),
            "results/experiments.csv",
            "results/experiments_summary.csv",
            "results/runs.csv",
            "results/tensorboard",
            *(f"results/fig_sweep_{sweep}.png" for sweep in self.sweeps),
            *(f"results/fig_curves_{sweep}.png" for sweep in self.curve_sweeps),
            "results/fig_architectures.png",
            *(f"results/fig_confusion_{run.name}.png" for run in first_replicates),
            "results/claims.md",
        ]

    @cached_property
    def targets(self) -> list[str]:
        """Every figure and table of both parts: the default target."""
        return self.conv_targets + self.part2_targets

    @cached_property
    def known_targets(self) -> list[str]:
        """The targets, and the files of the first replicate of every configured run."""
        runs = self.replicates(self.configured, self.seeds[:1])
        return self.targets + [run.file(name) for run in runs for name in RUN_FILES.values()]

    def makes(self, path: str) -> bool:
        """Whether a rule makes ``path`` for this config: a known target, or the history
        figure of any run (what the slips of a misspelt target are checked against)."""
        figure = re.fullmatch(r"results/fig_(.+)\.png", path)
        try:
            return path in self.known_targets or bool(figure and self.history_run(figure[1]))
        except TargetError:
            return False


def other_runs(plan: Plan, looks: list[dict]) -> list[list]:
    """[name, state key] of every finished run on disk that the plan does not ask for (its
    first seeds, and those of ``looks``, the records of the claims' looks on disk): one trained
    on purpose, or for an earlier config. results/runs.csv lists them too."""
    planned = plan.replicates(plan.configured)
    planned += [run for look in looks for run in plan.counted(look.get("at", {}), 0)]
    names = {run.name for run in planned}
    folders = sorted(path.parent for path in Path(RUNS).glob("*/metrics.json"))
    return [
        [folder.name, (read_record(folder / "run.json") or {}).get("state_key")]
        for folder in folders
        if folder.name not in names
    ]
