# Part 2: one training job per run (architecture, n, L1 weight, epochs, seed), cached in its folder.
rule train:
    input:
        # The data counts by its content record, not its time (a copy retrains nothing).
        unpack(prepared_data),
        code=[f"results/code/{name}" for name in TRAINING_CODE],
        shorter_run=shorter_run,
    output:
        **{key: f"{RUN_FOLDER}/{file}" for key, file in RUN_FILES.items()},
    log:
        f"{RUN_FOLDER}/train.log",
    # --cache with SNAKEMAKE_OUTPUT_CACHE: a lab store of trained runs (docs/studies.md).
    cache: True
    # Largest n first: on a few cores the long jobs start early, the short ones fill in.
    priority: lambda wildcards: training_priority(int(wildcards.n))
    conda:
        "../envs/train.yaml"
    # `pool`: what a job takes as it starts (convlab.slots). None of these retrains anything.
    threads: lambda wildcards: training_placement().threads
    resources:
        **gpu_request(training_placement(), config["gpu_request"]),
        pool=lambda wildcards: pool_text(training_placement().pool),
        mem_mb=lambda wildcards: training_memory_mb(int(wildcards.n)),
        runtime=training_minutes,
    params:
        run=lambda wildcards: PLAN.net(training_run(wildcards)),
        # The batch size, validation split, optimizer, loss and class names of its shape.
        settings=lambda wildcards: PLAN.shape(training_run(wildcards))["settings"],
        # Its state at each epoch's end: a path of this project, the same in every storage.
        checkpoint=lambda wildcards: training_run(wildcards).checkpoint,
    script:
        "../scripts/train.py"


# The training's code, copied where its jobs read it (common.smk, TRAINING_CODE).
rule training_code:
    input:
        lambda wildcards: local(TRAINING_CODE[wildcards.file]),
    output:
        "results/code/{file}",
    log:
        "results/logs/code/{file}.log",
    wildcard_constraints:
        file="[A-Za-z0-9_]+\\.py|convlab/[A-Za-z0-9_]+\\.py",
    localrule: True
    conda:
        "../envs/conv.yaml"
    shell:
        "cp {input:q} {output:q} 2> {log:q}"


rule model_summary:
    input:
        code=code_inputs("model_summary"),
    output:
        text="results/summary_{arch}.txt",
        page=shown(
            "results/pages/summary_{arch}.html",
            "summary",
            "Part 2 (CIFAR-10)",
            "Model summaries (Figures 6, 17)",
        ),
    log:
        "results/logs/summary_{arch}.log",
    localrule: True
    conda:
        "../envs/train.yaml"
    params:
        layers=planned(PLAN.summary_layers, "arch"),
        l1=config["defaults"]["l1"],
        input_shape=IMAGE_SHAPE,
        classes=config["cifar10"]["classes"],
    script:
        "../scripts/model_summary.py"


# One rule per kind of history figure name (convlab.plan.HISTORY), e.g. fig_n_5000_s1.png.
for kind, figure in HISTORY.items():

    rule:
        name:
            f"plot_history_{kind}"
        input:
            unpack(history_inputs(kind)),
            code=code_inputs("plot_history"),
        output:
            shown(
                history_path(kind),
                "history",
                "Part 2 (CIFAR-10)",
                figure.group,
                planned(functools.partial(PLAN.history_labels, kind)),
            ),
        log:
            history_path(kind).replace("results/", "results/logs/").replace(".png", ".log"),
        wildcard_constraints:
            **PLAN.history_constraints(kind),
        localrule: True
        conda:
            "../envs/plots.yaml"
        params:
            about=figure.about,
        script:
            "../scripts/plot_history.py"
