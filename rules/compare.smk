# Beyond the assignment: all runs in one table, each configuration's replicates summarised,
# comparison plots with confidence intervals (the assignment's claims: rules/claims.smk).
rule experiments_table:
    input:
        metrics=configured_metrics,
        code=code_inputs("experiments_table"),
    output:
        table="results/experiments.csv",
        page=report(
            "results/pages/experiments.html",
            caption="../report/experiments.rst",
            category="Comparison",
            subcategory="All runs",
        ),
    log:
        "results/logs/experiments_table.log",
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/experiments_table.py"


rule runs_table:
    input:
        metrics=configured_metrics,
        code=code_inputs("runs_table"),
    output:
        table="results/runs.csv",
        page=report(
            "results/pages/runs.html",
            caption="../report/runs.rst",
            category="Comparison",
            subcategory="All runs",
        ),
    log:
        "results/logs/runs_table.log",
    conda:
        "../envs/plots.yaml"
    params:
        configured=configured_run_names,
        others=other_trained_runs(),
    script:
        "../scripts/runs_table.py"


rule experiments_summary:
    input:
        table=rules.experiments_table.output.table,
        code=code_inputs("experiments_summary"),
    output:
        table="results/experiments_summary.csv",
        page=report(
            "results/pages/experiments_summary.html",
            caption="../report/experiments_summary.rst",
            category="Comparison",
            subcategory="All runs",
        ),
    log:
        "results/logs/experiments_summary.log",
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/experiments_summary.py"


rule plot_sweep:
    input:
        table=rules.experiments_table.output.table,
        code=code_inputs("plot_sweep"),
    output:
        report(
            "results/fig_sweep_{sweep}.png",
            caption="../report/sweep.rst",
            category="Comparison",
            subcategory="Sweeps",
        ),
    log:
        "results/logs/fig_sweep_{sweep}.log",
    wildcard_constraints:
        sweep="|".join(SWEEP_NAMES),
    conda:
        "../envs/plots.yaml"
    params:
        runs=lambda wildcards: [run for run, _ in sweep_runs(wildcards.sweep)],
        values=lambda wildcards: [value for _, value in sweep_runs(wildcards.sweep)],
        xlabel=lambda wildcards: sweep_label(wildcards.sweep),
        varied=lambda wildcards: wildcards.sweep if wildcards.sweep in ("n", "l1") else None,
    script:
        "../scripts/plot_sweep.py"


rule plot_curves:
    input:
        histories=lambda wildcards: [
            f"results/runs/{name}/history.csv"
            for run, _ in sweep_runs(wildcards.sweep)
            for name in run_names([run])
        ],
        code=code_inputs("plot_curves"),
    output:
        report(
            "results/fig_curves_{sweep}.png",
            caption="../report/curves.rst",
            category="Comparison",
            subcategory="Sweeps",
        ),
    log:
        "results/logs/fig_curves_{sweep}.log",
    wildcard_constraints:
        sweep="|".join(CURVE_SWEEPS),
    conda:
        "../envs/plots.yaml"
    params:
        labels=lambda wildcards: [
            value if isinstance(value, str) else f"{value:g}"
            for _, value in sweep_runs(wildcards.sweep)
        ],
        replicates=len(SEEDS),
        xlabel=lambda wildcards: sweep_label(wildcards.sweep),
    script:
        "../scripts/plot_curves.py"


rule plot_architectures:
    input:
        table=rules.experiments_table.output.table,
        code=code_inputs("plot_architectures"),
    output:
        report(
            "results/fig_architectures.png",
            caption="../report/architectures.rst",
            category="Comparison",
            subcategory="Architectures",
        ),
    log:
        "results/logs/fig_architectures.log",
    conda:
        "../envs/plots.yaml"
    params:
        runs=ARCHITECTURE_RUNS,
    script:
        "../scripts/plot_architectures.py"


rule plot_confusion:
    input:
        confusion=rules.train.output.confusion_test,
        code=code_inputs("plot_confusion"),
    output:
        report(
            f"results/fig_confusion_{RUN_NAME}.png",
            caption="../report/confusion.rst",
            category="Comparison",
            subcategory="Confusion matrices",
            labels={"run": RUN_NAME},
        ),
    log:
        f"results/logs/fig_confusion_{RUN_NAME}.log",
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/plot_confusion.py"
