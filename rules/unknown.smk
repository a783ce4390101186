# Any file no other rule makes, here or in results/: planned last (ruleorder), it stops in one
# line with what was likely meant (common.smk, what_was_meant). Included by the Snakefile only
# when it is the main one.
rule unknown_target:
    """Any other file here or in results/: planned last, it stops in one line (what_was_meant)."""
    input:
        "results/.unknown/{target}",
    output:
        "{target}",
    wildcard_constraints:
        target="(results/)?[^/]+",


rule no_rule_makes:
    input:
        what_was_meant,
    output:
        "results/.unknown/{target}",


ruleorder: model_summary > unknown_target
ruleorder: plot_history > unknown_target
ruleorder: plot_sweep > unknown_target
ruleorder: plot_curves > unknown_target
ruleorder: plot_confusion > unknown_target
ruleorder: conv_table > unknown_target
ruleorder: conv_heatmap > unknown_target
