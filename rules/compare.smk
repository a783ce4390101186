# Beyond the seed: all runs in one table, comparison plots, the seed's claims checked.
rule experiments_table:
    input:
        metrics=metrics_files(CONFIGURED_RUNS),
        code=library("experiments"),
    output:
        report("results/experiments.csv", caption="../report/experiments.rst",
               category="Comparison", subcategory="All runs"),
    log:
        "results/logs/experiments_table.log",
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/experiments_table.py"


rule plot_sweep:
    input:
        metrics=sweep_metrics,
        code=library("experiments", "plots"),
    output:
        report("results/fig_sweep_{sweep}.png", caption="../report/sweep.rst",
               category="Comparison", subcategory="Sweeps"),
    wildcard_constraints:
        sweep="n|l1",
    params:
        xlabel=lambda wildcards: {"n": "training points n", "l1": "L1 weight"}[wildcards.sweep],
    log:
        "results/logs/fig_sweep_{sweep}.log",
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/plot_sweep.py"


rule plot_architectures:
    input:
        metrics=metrics_files(ARCHITECTURE_RUNS),
        code=library("experiments", "plots"),
    output:
        report("results/fig_architectures.png", caption="../report/architectures.rst",
               category="Comparison", subcategory="Architectures"),
    log:
        "results/logs/fig_architectures.log",
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/plot_architectures.py"


rule plot_confusion:
    input:
        confusion="results/runs/{arch}_n{n}_w{l1}_e{epochs}/confusion_test.csv",
        code=library("plots"),
    output:
        report("results/fig_confusion_{arch}_n{n}_w{l1}_e{epochs}.png",
               caption="../report/confusion.rst", category="Comparison",
               subcategory="Confusion matrices", labels={"run": "{arch}_n{n}_w{l1}_e{epochs}"}),
    log:
        "results/logs/fig_confusion_{arch}_n{n}_w{l1}_e{epochs}.log",
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/plot_confusion.py"


rule claims:
    input:
        table="results/experiments.csv",
        code=library("experiments"),
    output:
        report("results/claims.md", caption="../report/claims.rst",
               category="Comparison", subcategory="The seed's claims"),
    params:
        runs=CLAIM_RUNS,
        limits=config["claims"],
    log:
        "results/logs/claims.log",
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/claims.py"
