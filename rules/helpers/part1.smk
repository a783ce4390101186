# Part 1's targets and the checks of their wildcards (rules/conv.smk).
CONV = config["conv"]


def conv_targets():
    kernels = list(CONV["kernels"])
    return [
        "results/conv_example.txt",
        "results/fig_heart.png",
        *expand(
            "results/table_{kernel}_stride{stride}.tsv", kernel=kernels, stride=CONV["table_stride"]
        ),
        *expand("results/fig_conv_{kernel}.png", kernel=kernels),
    ]


@exits_on_bad_target
def kernel_matrix(wildcards):
    target = f"results/table_{wildcards.kernel}_stride{wildcards.stride}.tsv"
    name = known_name(wildcards.kernel, "kernel", CONV["kernels"], target)
    return CONV["kernels"][name]


@exits_on_bad_target
def table_stride(wildcards):
    target = f"results/table_{wildcards.kernel}_stride{wildcards.stride}.tsv"
    return positive_int(wildcards.stride, "stride", target)


@exits_on_bad_target
def heatmap_table(wildcards):
    target = f"results/fig_conv_{wildcards.kernel}.png"
    known_name(wildcards.kernel, "kernel", CONV["kernels"], target)
    return f"results/table_{wildcards.kernel}_stride{CONV['heatmap_stride']}.tsv"
