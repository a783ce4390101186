# The assignment's claims, decided in looks that may ask for more seeds (convlab.claims).
checkpoint look:
    input:
        unpack(look_inputs),
        code=code_inputs("look"),
    output:
        # Local under a default storage: the plan reads it (common.smk, look_record).
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
        page=shown("results/pages/claims.html", "claims", "Comparison", "The assignment's claims"),
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
