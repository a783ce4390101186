# CIFAR-10, read once from the configured source into one file that every run reads.
rule prepare_data:
    input:
        source=[config["cifar10"]["path"]] if config["cifar10"]["path"] else [],
        code=library("cifar10"),
    output:
        "results/data/cifar10.npz",
    params:
        cifar10=config["cifar10"],
    log:
        "results/logs/prepare_data.log",
    conda:
        "../envs/train.yaml"
    script:
        "../scripts/prepare_data.py"
