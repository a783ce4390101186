# Part 1: the hand-written convolution, its worked example, Tables 1-2 and Figures 1-4.
wildcard_constraints:
    kernel="[A-Za-z0-9-]+",


rule conv_example:
    input:
        code=code_inputs("conv_example"),
    output:
        text="results/conv_example.txt",
        page=shown(
            "results/pages/conv_example.html", "conv_example", "Part 1 (convolution)", "Figure 1"
        ),
    log:
        "results/logs/conv_example.log",
    localrule: True
    conda:
        "../envs/conv.yaml"
    params:
        example=config["conv"]["example"],
    script:
        "../scripts/conv_example.py"


rule input_image:
    input:
        image=[config["conv"]["image"]] if config["conv"]["image"] else [],
        code=code_inputs("input_image"),
    output:
        shown("results/fig_heart.png", "heart", "Part 1 (convolution)", "Figure 2"),
    log:
        "results/logs/input_image.log",
    localrule: True
    conda:
        "../envs/conv.yaml"
    params:
        image=config["conv"]["image"],
        heart=config["conv"]["heart"],
    script:
        "../scripts/input_image.py"


rule conv_table:
    input:
        image="results/fig_heart.png",
        code=code_inputs("conv_table"),
    output:
        table="results/table_{kernel}_stride{stride}.tsv",
        page=shown(
            "results/pages/table_{kernel}_stride{stride}.html",
            "table",
            "Part 1 (convolution)",
            "Tables 1-2",
        ),
    log:
        "results/logs/conv_table_{kernel}_stride{stride}.log",
    localrule: True
    conda:
        "../envs/conv.yaml"
    params:
        kernel=planned(PLAN.table_kernel, "kernel", "stride"),
        stride=planned(PLAN.table_stride, "kernel", "stride"),
        padding=config["conv"]["padding"],
    script:
        "../scripts/conv_table.py"


rule conv_heatmap:
    input:
        table=planned(PLAN.heatmap_table, "kernel"),
        code=code_inputs("conv_heatmap"),
    output:
        shown("results/fig_conv_{kernel}.png", "heatmap", "Part 1 (convolution)", "Figures 3-4"),
    log:
        "results/logs/conv_heatmap_{kernel}.log",
    localrule: True
    conda:
        "../envs/conv.yaml"
    params:
        cmap=config["conv"]["colormap"],
        stride=config["conv"]["heatmap_stride"],
    script:
        "../scripts/conv_heatmap.py"
