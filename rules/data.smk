# CIFAR-10 read once into the file every run reads, with records of its content and source.
rule prepare_data:
    input:
        code=code_inputs("prepare_data"),
    output:
        **PREPARED,
    log:
        "results/logs/prepare_data.log",
    cache: True
    localrule: True
    conda:
        "../envs/train.yaml"
    params:
        seed=config["cifar10"]["seed"],
        classes=config["cifar10"]["classes"],
        source=lambda wildcards: data(lambda prepared: prepared.fact("sha256", fingerprint)),
    script:
        "../scripts/prepare_data.py"


# A damaged prepared file made again in place, only if its content comes out as recorded.
rule repair_data:
    log:
        "results/logs/repair_data.log",
    localrule: True
    conda:
        "../envs/train.yaml"
    params:
        **PREPARED,
        seen=SOURCE_SEEN,
    script:
        "../scripts/repair_data.py"
