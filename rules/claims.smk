# The assignment's claims checked in looks (declared in convlab.claims, decided in
# convlab.verdicts): each look measures every claim's effects on the replicates trained so
# far and decides them with the family's error rate controlled. With `replicates: {start,
# max}` a look that leaves effects open asks for more seeds of just the configurations they
# compare, and the next look waits for them: a checkpoint, so the DAG grows by the runs the
# verdicts need. With `replicates: N`, one look.
checkpoint look:
    input:
        unpack(look_inputs),
        code=code_inputs("look"),
    output:
        LOOK,
    log:
        "results/logs/claims_look{index}.log",
    wildcard_constraints:
        index="[0-9]+",
    conda:
        "../envs/plots.yaml"
    params:
        runs=CLAIM_RUNS,
        limits=config["claims"],
        counts=COUNTS,
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
    conda:
        "../envs/plots.yaml"
    params:
        runs=CLAIM_RUNS,
        limits=config["claims"],
    script:
        "../scripts/claims.py"
