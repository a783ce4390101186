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
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from convlab.architecture_check import check_colormap, check_once
from convlab.claims import declare, first_counts, schedule
from convlab.config import ConfigError, check_conv, check_runs, schema_error
from convlab.datasource import read_record
from convlab.runs import (
    CONFIGURATION,
    CONFIGURATION_NAME,
    RUN_FIELDS,
    RUN_FILES,
    RUN_FOLDER,
    RUNS,
    Run,
    canonical_number,
)
from convlab.splits import smallest_n, split_sizes
from convlab.studies import (
    VALUE_TEXT,
    Shapes,
    labelled_nets,
    shapes,
    sweep_names,
    sweep_points,
)
from convlab.targets import (
    TargetError,
    choices,
    known_name,
    l1_weight,
    pattern_regex,
    positive_int,
    replicate_seeds,
    seed_value,
)

LOOK = "results/claims/look{index}.json"


@dataclass(frozen=True)
class HistoryKind:
    """A kind of history figure, results/fig_<name><replicate>.png (one rule each, in
    rules/train.smk): the name's pattern, what its wildcards may hold beyond a run's fields,
    the run fields it fixes, its group in the report and its caption's sentence. The other
    fields come from the config's defaults, the variant from the architecture's own net, the
    seed from ``_s<seed>`` at the end of the name, else the first replicate's."""

    name: str
    group: str
    about: str
    fixed: dict = field(default_factory=dict)


HISTORY = {
    "n": HistoryKind(
        "n_{n}",
        "n sweep (Figures 7-10)",
        "Figures 7-10: the baseline, trained on the first n points.",
    ),
    "l1": HistoryKind(
        "l1_{l1}",
        "L1 sweep (Figures 11-15)",
        "Figures 11-15: the baseline with an L1 weight on the Dense layer.",
    ),
    "deep": HistoryKind(
        "deep_n{n}_e{epochs}",
        "Deep net (Figures 19-21)",
        "Figures 19-21: the deeper 8-8-16-16-32-32 net.",
        {"arch": "deep"},
    ),
    "arch": HistoryKind(
        "{arch}",
        "Architectures (Figure 18: maxpool)",
        "An architecture at the default run; Figure 18 is maxpool, max-pooling instead of "
        "striding.",
    ),
    "sweep": HistoryKind(
        "{sweep}_{value}",
        "Sweeps of a setting",
        "One value of a sweep over a setting, at the default run.",
    ),
    "run": HistoryKind(CONFIGURATION_NAME, "Any run", "Any run, named as its folder."),
}


def history_path(kind: str) -> str:
    return f"results/fig_{HISTORY[kind].name}{{replicate}}.png"


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
    def architecture_runs(self) -> list[dict]:
        """Every architecture at the default n, L1 weight and epochs."""
        defaults = self.config["defaults"]
        return [
            {**defaults, "arch": arch, "l1": float(defaults["l1"]), "variant": variant}
            for arch, variant in self.shapes.base.items()
        ]

    @cached_property
    def default_configuration(self) -> dict:
        arch = self.config["defaults"]["arch"]
        (default,) = [run for run in self.architecture_runs if run["arch"] == arch]
        return {key: default[key] for key in CONFIGURATION}

    @cached_property
    def configured(self) -> list[dict]:
        """Every configuration the sweeps and architectures define, once each, in a stable
        order (without a seed: see ``replicates``)."""
        figures = [c for sweep in self.figure_runs for c in self.configurations(sweep)]
        unique = {}
        for run in [*figures, *self.architecture_runs]:
            unique.setdefault(Run.of(run, 0).name, {key: run[key] for key in CONFIGURATION})
        return list(unique.values())

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

    # History figures: one rule per kind of name (HISTORY), whose wildcards give the run.
    @cached_property
    def figure_runs(self) -> dict[str, list[tuple[str, dict]]]:
        """{sweep: [(history figure name, configuration)]}: the assignment's sweeps, then one
        figure per value of each sweep over a setting, in the config's order."""
        sweeps, shapes = self.config["sweeps"], self.shapes

        def at(name, **fields):
            run = {**self.config["defaults"], **fields}
            run = {**run, "l1": float(run["l1"]), "variant": shapes.base[run["arch"]], **fields}
            return name, {key: run[key] for key in CONFIGURATION}

        return {
            "n": [at(f"n_{n}", n=n) for n in sweeps["n"]],
            "l1": [at(f"l1_{canonical_number(w)}", l1=float(w)) for w in sweeps["l1"]],
            "maxpool": [at("maxpool", arch="maxpool")],
            "deep": [
                at(f"deep_n{r['n']}_e{r['epochs']}", arch="deep", n=r["n"], epochs=r["epochs"])
                for r in sweeps["deep"]
            ],
            **{
                name: [
                    at(f"{name}_{point.text}", arch=point.arch, variant=variant)
                    for point, variant in points
                ]
                for name, points in shapes.points.items()
            },
        }

    def history_run(self, kind: str, wildcards: dict) -> Run:
        """The run that a history figure of this kind (HISTORY) draws: the config's defaults,
        the fields its name gives, the architecture's own variant, the first seed unless
        ``_s<seed>`` ends the name."""
        target = history_path(kind).format(**wildcards)
        fields = {**self.config["defaults"], **HISTORY[kind].fixed}
        if kind == "sweep":
            values = {p.text: (p, v) for p, v in self.shapes.points[wildcards["sweep"]]}
            if wildcards["value"] not in values:
                raise TargetError(
                    f"{target}: {wildcards['value']!r} is not a value of sweep "
                    f"{wildcards['sweep']!r}; expected one of: {', '.join(values)}"
                )
            point, variant = values[wildcards["value"]]
            fields |= {"arch": point.arch, "variant": variant}
        fields |= {key: wildcards[key] for key in CONFIGURATION if key in wildcards}
        known_name(fields["arch"], "architecture", self.config["architectures"], target)
        fields.setdefault("variant", self.shapes.base[fields["arch"]])
        seed = wildcards["replicate"].removeprefix("_s") or self.seeds[0]
        return self.run({**fields, "seed": seed}, target)

    def history_labels(self, kind: str, wildcards: dict) -> dict:
        """The report's labels of a history figure: its place in the default target's order
        (the report sorts by label text), its file and its run."""
        name = Path(history_path(kind).format(**wildcards)).stem.removeprefix("fig_")
        names = self.history_figures
        place = names.index(name) if name in names else len(names)
        return {
            "#": f"{place + 1:03d}",
            "figure": f"fig_{name}.png",
            "run": self.history_run(kind, wildcards).name,
        }

    @cached_property
    def history_figures(self) -> list[str]:
        """The history figures of every sweep, and fig_<arch> for an architecture whose
        default run none of them draws (one that a user added)."""
        figures = [figure for figures in self.figure_runs.values() for figure in figures]
        drawn = [configuration for _, configuration in figures]
        return [name for name, _ in figures] + [
            run["arch"] for run in self.architecture_runs if run not in drawn
        ]

    def configurations(self, sweep: str) -> list[dict]:
        """The configurations of a sweep's figures, in the config's order."""
        return [configuration for _, configuration in self.figure_runs[sweep]]

    # The comparisons.
    @cached_property
    def claim_runs(self) -> dict:
        (maxpool,) = self.configurations("maxpool")
        return {
            "default": self.default_configuration,
            "n": self.configurations("n"),
            "l1": self.configurations("l1"),
            "maxpool": maxpool,
            "deep": self.configurations("deep"),
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
        values = [point.value for point, _ in self.shapes.points[sweep]]
        return list(zip(self.configurations(sweep), values))

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
            *(f"results/fig_classes_{run.configuration_name}.png" for run in first_replicates),
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

    def history_constraints(self, kind: str) -> dict:
        """What each wildcard of a kind's name may hold: its rule's wildcard constraints. An
        L1 weight in any spelling (1e-05 draws the run of 0.00001); ``{arch}`` alone names a
        configured architecture (fig_heart stays Part 1's), ``{sweep}`` a sweep over a setting."""
        constraints = {
            **RUN_FIELDS,
            "l1": "[0-9.eE+-]+",
            "sweep": choices(self.shapes.points),
            "value": VALUE_TEXT.pattern,
            "replicate": "(_s[0-9]+)?",
        }
        if kind == "arch":
            constraints["arch"] = choices(self.shapes.base)
        return {name: constraints[name] for name in re.findall(r"\{(\w+)\}", history_path(kind))}

    def makes(self, path: str) -> bool:
        """Whether a rule makes ``path`` for this config: a known target, or the history
        figure of any run (what the slips of a misspelt target are checked against)."""
        for kind in HISTORY:
            regex = pattern_regex(history_path(kind), self.history_constraints(kind))
            if match := re.fullmatch(regex, path):
                try:
                    return bool(self.history_run(kind, match.groupdict()))
                except TargetError:
                    return False
        return path in self.known_targets


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
