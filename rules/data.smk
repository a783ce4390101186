# CIFAR-10, read once from the configured source into one file that every run reads, with a
# record of its content (what the runs depend on) and one of its source. The source path is
# not an input or a param on purpose, its content's fingerprint is: the same data moved
# elsewhere must not be prepared again (rules/helpers/data.smk compares the configured source with
# the record by content, and stops with one line if they differ).
# On a cluster it runs on the submitting host, which can usually download when nodes cannot.
localrules:
    prepare_data,


rule prepare_data:
    input:
        code=code_inputs("prepare_data"),
    output:
        data=PREPARED_DATA,
        content=PREPARED_CONTENT,
        record=PREPARED_RECORD,
    log:
        "results/logs/prepare_data.log",
    # The store (see rule train) keys the prepared data, and through it every run, by the
    # source's content, never its path.
    cache: True
    conda:
        "../envs/train.yaml"
    params:
        seed=config["cifar10"]["seed"],
        classes=config["cifar10"]["classes"],
        source=source_fingerprint,
    script:
        "../scripts/prepare_data.py"
