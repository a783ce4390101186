# CIFAR-10 read once into one file that every run reads, with records of its content (the
# runs' input) and of its source: by its fingerprint, not its path, so that the same data
# moved is not prepared again. On a cluster, on the submitting host (which can download).
rule prepare_data:
    input:
        code=code_inputs("prepare_data"),
    output:
        **PREPARED,
    log:
        "results/logs/prepare_data.log",
    # The store (see rule train) keys the prepared data, and through it every run, by the
    # source's content, never its path.
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


# A damaged prepared file (a copy cut short), prepared again from its source in place. Not a
# job that makes it: every run would then train again. Its content must come out as
# recorded, else nothing changes and one line says so.
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
