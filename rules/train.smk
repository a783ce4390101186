# Part 2: one training job per run (architecture, n, L1 weight, epochs, seed), cached in its folder.
rule train:
    input:
        # The large data file counts by its content record (a sha256 of the arrays), not by
        # its time: a copy with new timestamps retrains nothing, other content retrains all.
        unpack(prepared_data),
        code=code_inputs("train"),
        shorter_run=shorter_run,
    output:
        model=f"{RUN_FOLDER}/model.keras",
        history=f"{RUN_FOLDER}/history.csv",
        metrics=f"{RUN_FOLDER}/metrics.json",
        summary=f"{RUN_FOLDER}/summary.txt",
        report_train=f"{RUN_FOLDER}/report_train.txt",
        report_test=f"{RUN_FOLDER}/report_test.txt",
        confusion_train=f"{RUN_FOLDER}/confusion_train.csv",
        confusion_test=f"{RUN_FOLDER}/confusion_test.csv",
        provenance=f"{RUN_FOLDER}/run.json",
        state=f"{RUN_FOLDER}/state.npz",
    log:
        f"{RUN_FOLDER}/train.log",
    # With --cache and SNAKEMAKE_OUTPUT_CACHE, every run is kept in a store shared by every
    # clone that points there, keyed by its params, code and upstream data (docs/studies.md,
    # "A store of trained runs"): a run trained once is fetched, not trained, by the next clone.
    cache: True
    # Largest n first: on a few cores the long jobs start early, the short ones fill in.
    priority: training_order
    conda:
        "../envs/train.yaml"
    # Where a job trains (rules/helpers/training.smk): `pool` says what it takes as
    # it starts, a GPU of its own or its share of the cores (scripts/convlab/slots.py);
    # `threads` is what Snakemake counts. Neither retrains anything.
    threads: training_threads
    resources:
        gpu=training_gpus,
        gpu_slot=training_gpu_slots,
        pool=training_pool,
        mem_mb=training_memory,
    params:
        run=train_params,
        settings=train_settings,
        states=train_states,
    script:
        "../scripts/train.py"


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
    conda:
        "../envs/train.yaml"
    params:
        layers=summary_layers,
        l1=DEFAULTS["l1"],
        input_shape=IMAGE_SHAPE,
        classes=config["cifar10"]["classes"],
    script:
        "../scripts/model_summary.py"


rule plot_history:
    input:
        unpack(history_figure_inputs),
    output:
        report(
            "results/fig_{name}.png",
            caption="../report/history.rst",
            category="Part 2 (CIFAR-10)",
            subcategory=history_group,
            labels=history_labels,
        ),
    log:
        "results/logs/fig_{name}.log",
    wildcard_constraints:
        name=HISTORY_FIGURE_NAME,
    conda:
        "../envs/plots.yaml"
    params:
        about=history_about,
    script:
        "../scripts/plot_history.py"
