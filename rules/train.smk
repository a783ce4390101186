# Part 2: one training job per run (architecture, n, L1 weight, epochs, seed), cached in its folder.
rule train:
    input:
        # The large data file counts by its content record (a sha256 of the arrays), not by
        # its time: a copy with new timestamps retrains nothing, other content retrains all.
        unpack(prepared_data),
        code=[f"results/code/{name}" for name in TRAINING_CODE],
        shorter_run=shorter_run,
    output:
        **{key: f"{RUN_FOLDER}/{file}" for key, file in RUN_FILES.items()},
    log:
        f"{RUN_FOLDER}/train.log",
    # With --cache and SNAKEMAKE_OUTPUT_CACHE, a run trained once is fetched by every clone
    # that points there (docs/studies.md, "A store of trained runs").
    cache: True
    # Largest n first: on a few cores the long jobs start early, the short ones fill in.
    priority: lambda wildcards: training_priority(int(wildcards.n))
    conda:
        "../envs/train.yaml"
    # `pool` is what a job takes as it starts, a GPU or its share of the cores (convlab.slots);
    # `threads` and the GPU request what Snakemake counts (--resources gpu=N: N GPU trainings
    # at once) and a cluster grants, in the form of `gpu_request`, with the memory and time
    # this run needs. None of them retrains anything.
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
        # Where it saves its state at each epoch end: a path of this project's alone, so that
        # the store's key (params are in it) is the same in every project and storage.
        checkpoint=lambda wildcards: training_run(wildcards).checkpoint,
    script:
        "../scripts/train.py"


# The training's code, copied where its jobs read it (common.smk, TRAINING_CODE): the same
# content, so the same state key, as the files themselves.
rule training_code:
    input:
        code_source,
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
        page=report(
            "results/pages/summary_{arch}.html",
            caption="../report/summary.rst",
            category="Part 2 (CIFAR-10)",
            subcategory="Model summaries (Figures 6, 17)",
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


# One rule per kind of history figure name (convlab.plan.HISTORY) under results/: fig_n_5000.png,
# fig_l1_0.01.png, fig_deep_n50000_e60.png, fig_maxpool.png, fig_<sweep>_<value>.png or
# fig_<run folder>.png, each optionally ending in _s<seed>.
for kind, figure in HISTORY.items():

    rule:
        name:
            f"plot_history_{kind}"
        input:
            unpack(history_inputs(kind)),
        output:
            report(
                history_path(kind),
                caption="../report/history.rst",
                category="Part 2 (CIFAR-10)",
                subcategory=figure.group,
                labels=planned(functools.partial(PLAN.history_labels, kind)),
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
