# Beyond the assignment: all runs in tables, and comparison plots with confidence intervals.
rule experiments_table:
    input:
        metrics=configured_files("metrics.json"),
        code=code_inputs("experiments_table"),
    output:
        table="results/experiments.csv",
        page=shown("results/pages/experiments.html", "experiments", "Comparison", "All runs"),
    log:
        "results/logs/experiments_table.log",
    localrule: True
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/experiments_table.py"


rule runs_table:
    input:
        metrics=configured_files("metrics.json"),
        records=configured_files("run.json"),
        code=code_inputs("runs_table"),
    output:
        table="results/runs.csv",
        page=shown("results/pages/runs.html", "runs", "Comparison", "All runs"),
    log:
        "results/logs/runs_table.log",
    localrule: True
    conda:
        "../envs/plots.yaml"
    params:
        configured=lambda wildcards: [run.name for run in configured_runs()],
        others=other_runs(
            PLAN, [read_record(p) or {} for p in Path("results/claims").glob("look*.json")]
        ),
    script:
        "../scripts/runs_table.py"


rule experiments_summary:
    input:
        table=rules.experiments_table.output.table,
        code=code_inputs("experiments_summary"),
    output:
        table="results/experiments_summary.csv",
        page=shown(
            "results/pages/experiments_summary.html",
            "experiments_summary",
            "Comparison",
            "All runs",
        ),
    log:
        "results/logs/experiments_summary.log",
    localrule: True
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/experiments_summary.py"


rule plot_sweep:
    input:
        table=rules.experiments_table.output.table,
        code=code_inputs("plot_sweep"),
    output:
        shown("results/fig_sweep_{sweep}.png", "sweep", "Comparison", "Sweeps"),
    log:
        "results/logs/fig_sweep_{sweep}.log",
    wildcard_constraints:
        sweep="|".join(PLAN.sweeps),
    localrule: True
    conda:
        "../envs/plots.yaml"
    params:
        runs=planned(PLAN.sweep_configurations, "sweep"),
        values=planned(PLAN.sweep_values, "sweep"),
        xlabel=planned(PLAN.sweep_label, "sweep"),
        varied=lambda wildcards: wildcards.sweep if wildcards.sweep in ("n", "l1") else None,
    script:
        "../scripts/plot_sweep.py"


rule plot_curves:
    input:
        histories=planned(PLAN.curve_histories, "sweep"),
        code=code_inputs("plot_curves"),
    output:
        shown("results/fig_curves_{sweep}.png", "curves", "Comparison", "Sweeps"),
    log:
        "results/logs/fig_curves_{sweep}.log",
    wildcard_constraints:
        sweep="|".join(PLAN.curve_sweeps),
    localrule: True
    conda:
        "../envs/plots.yaml"
    params:
        labels=planned(PLAN.curve_labels, "sweep"),
        replicates=len(PLAN.seeds),
        xlabel=planned(PLAN.sweep_label, "sweep"),
    script:
        "../scripts/plot_curves.py"


rule plot_architectures:
    input:
        table=rules.experiments_table.output.table,
        code=code_inputs("plot_architectures"),
    output:
        shown("results/fig_architectures.png", "architectures", "Comparison", "Architectures"),
    log:
        "results/logs/fig_architectures.log",
    localrule: True
    conda:
        "../envs/plots.yaml"
    params:
        runs=PLAN.architecture_runs,
    script:
        "../scripts/plot_architectures.py"


rule plot_confusion:
    input:
        confusion=rules.train.output.confusion_test,
        code=code_inputs("plot_confusion"),
    output:
        shown(
            f"results/fig_confusion_{RUN_NAME}.png",
            "confusion",
            "Comparison",
            "Confusion matrices",
            {"run": RUN_NAME},
        ),
    log:
        f"results/logs/fig_confusion_{RUN_NAME}.log",
    localrule: True
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/plot_confusion.py"


rule plot_classes:
    input:
        confusions=replicate_files("confusion_test.csv"),
        code=code_inputs("plot_classes"),
    output:
        shown(
            f"results/fig_classes_{CONFIGURATION_NAME}.png",
            "classes",
            "Comparison",
            "Confusion matrices",
            {"run": CONFIGURATION_NAME},
        ),
    log:
        f"results/logs/fig_classes_{CONFIGURATION_NAME}.log",
    localrule: True
    conda:
        "../envs/plots.yaml"
    params:
        name=lambda wildcards: training_run({**wildcards, "seed": PLAN.seeds[0]}).configuration_name,
        seeds=PLAN.seeds,
    script:
        "../scripts/plot_classes.py"


rule tensorboard_runs:
    input:
        histories=configured_files("history.csv"),
        metrics=configured_files("metrics.json"),
        records=configured_files("run.json"),
        code=code_inputs("tensorboard_runs"),
    output:
        directory("results/tensorboard"),
    log:
        "results/logs/tensorboard.log",
    localrule: True
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/tensorboard_runs.py"
