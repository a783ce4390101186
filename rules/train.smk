# Part 2: one training job per run (architecture, n, L1 weight, epochs), cached in its folder.
wildcard_constraints:
    arch="[A-Za-z0-9-]+",


rule train:
    input:
        data="results/data/cifar10.npz",
        code=library("models", "training", "files"),
    output:
        model="results/runs/{arch}_n{n}_w{l1}_e{epochs}/model.keras",
        history="results/runs/{arch}_n{n}_w{l1}_e{epochs}/history.csv",
        metrics="results/runs/{arch}_n{n}_w{l1}_e{epochs}/metrics.json",
        summary="results/runs/{arch}_n{n}_w{l1}_e{epochs}/summary.txt",
        report_train="results/runs/{arch}_n{n}_w{l1}_e{epochs}/report_train.txt",
        report_test="results/runs/{arch}_n{n}_w{l1}_e{epochs}/report_test.txt",
        confusion_train="results/runs/{arch}_n{n}_w{l1}_e{epochs}/confusion_train.csv",
        confusion_test="results/runs/{arch}_n{n}_w{l1}_e{epochs}/confusion_test.csv",
    wildcard_constraints:
        n="[0-9]+",
        l1="[0-9.]+",
        epochs="[0-9]+",
    params:
        run=train_params,
        settings={**config["training"], "classes": config["cifar10"]["classes"]},
    threads: config["training"]["threads"]
    resources:
        gpu=1,
    log:
        "results/logs/train/{arch}_n{n}_w{l1}_e{epochs}.log",
    conda:
        "../envs/train.yaml"
    script:
        "../scripts/train.py"


rule model_summary:
    input:
        code=library("models"),
    output:
        report("results/summary_{arch}.txt", caption="../report/summary.rst",
               category="Part 2: CIFAR-10", subcategory="Model summaries (Figures 6, 17)"),
    params:
        layers=summary_layers,
        l1=DEFAULTS["l1"],
        input_shape=config["cifar10"]["image_shape"],
        classes=config["cifar10"]["classes"],
    log:
        "results/logs/summary_{arch}.log",
    conda:
        "../envs/train.yaml"
    script:
        "../scripts/model_summary.py"


rule plot_history:
    input:
        unpack(history_figure_inputs),
    output:
        report("results/fig_{name}.png", caption="../report/history.rst",
               category="Part 2: CIFAR-10", subcategory=history_subcategory),
    wildcard_constraints:
        name="(n|l1|deep)_[^/]*|maxpool",
    log:
        "results/logs/fig_{name}.log",
    conda:
        "../envs/plots.yaml"
    script:
        "../scripts/plot_history.py"
