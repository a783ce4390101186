# The assignment's claims decided in looks (convlab.claims, convlab.verdicts) at the family's
# error rate. With `replicates: {start, max}` a look that leaves effects open asks for more
# seeds of the configurations they compare: a checkpoint, the next look waits for them.
checkpoint look:
    input:
        unpack(look_inputs),
        code=code_inputs("look"),
    output:
        # Local even under a default storage provider: the plan reads it (common.smk,
        # look_record), on the host where this local rule runs.
        local(LOOK),
    log:
        "results/logs/claims_look{index}.log",
    wildcard_constraints:
        index="[0-9]+",
    localrule: True
    conda:
        "../envs/plots.yaml"
    params:
        runs=PLAN.claim_runs,
        limits=config["claims"],
        counts=PLAN.counts,
        index=lambda wildcards: int(wildcards.index),
    script:
        "../scripts/look.py"


rule claims:
    input:
        record=lambda wildcards: final_look()[0],
        code=code_inputs("claims"),
    output:
        claims="results/claims.md",
        page=report(
            "results/pages/claims.html",
            caption="../report/claims.rst",
            category="Comparison",
            subcategory="The assignment's claims",
        ),
    log:
        "results/logs/claims.log",
    localrule: True
    conda:
        "../envs/plots.yaml"
    params:
        runs=PLAN.claim_runs,
        limits=config["claims"],
    script:
        "../scripts/claims.py"
