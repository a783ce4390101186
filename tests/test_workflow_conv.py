"""Part 1 end to end: real snakemake runs on a private copy of the workflow."""

import numpy as np
import pytest
from PIL import Image

from convlab.tables import read_matrix


def test_default_part1_targets(workflow):
    workflow.snakemake(
        "results/conv_example.txt",
        "results/fig_heart.png",
        "results/table_kernel1_stride10.tsv",
        "results/table_kernel2_stride10.tsv",
        "results/fig_conv_kernel1.png",
        "results/fig_conv_kernel2.png",
    )

    example = workflow.path("results/conv_example.txt").read_text().splitlines()
    assert [line.split()[-3:] for line in example[1:4]] == [
        ["-1", "-4", "-14"],
        ["6", "-3", "-13"],
        ["9", "-6", "-8"],
    ]

    table2 = read_matrix(workflow.path("results/table_kernel2_stride10.tsv"))
    assert table2.shape == (20, 20)
    assert table2[0, 0] == 1016 and table2[10, 10] == 976
    assert set(np.unique(table2)) >= {1016, 976}
    table1 = read_matrix(workflow.path("results/table_kernel1_stride10.tsv"))
    assert table1.shape == (20, 20)
    assert table1[0, 0] == 0 and table1[10, 10] == 0 and np.abs(table1).max() > 0

    with Image.open(workflow.path("results/fig_heart.png")) as heart:
        assert heart.size == (200, 200)
    for kernel in ("kernel1", "kernel2"):
        heatmap = workflow.path(f"results/fig_conv_{kernel}.png")
        assert heatmap.stat().st_size > 1000
        stride1 = read_matrix(workflow.path(f"results/table_{kernel}_stride1.tsv"))
        assert stride1.shape == (198, 198)

    rerun = workflow.snakemake("results/fig_conv_kernel1.png", "results/table_kernel2_stride10.tsv")
    assert "Nothing to be done" in rerun.stdout + rerun.stderr


def test_any_stride_and_padding_from_config(workflow):
    config = workflow.config
    config["conv"]["padding"] = 2
    workflow.write_config(config)
    workflow.snakemake("results/table_kernel2_stride7.tsv")
    table = read_matrix(workflow.path("results/table_kernel2_stride7.tsv"))
    assert table.shape == ((200 + 4 - 3) // 7 + 1,) * 2
    # The zero padding shows in the corner: only the centre tap (8 x 254) minus two neighbours.
    assert table[0, 0] == 0


def test_user_image_replaces_the_heart(workflow):
    rgb = np.zeros((30, 40, 3), dtype=np.uint8)
    rgb[:, :, 0] = 10
    Image.fromarray(rgb).save(workflow.path("mine.jpg"), quality=100)
    config = workflow.config
    config["conv"]["image"] = "mine.jpg"
    workflow.write_config(config)
    workflow.snakemake("results/table_kernel2_stride1.tsv")
    table = read_matrix(workflow.path("results/table_kernel2_stride1.tsv"))
    assert table.shape == (28, 38)
    assert np.all(np.abs(table - 40) <= 8)


@pytest.mark.parametrize(
    "target, message",
    [
        (
            "results/table_kernel9_stride10.tsv",
            "unknown kernel 'kernel9'; expected one of: kernel1, kernel2",
        ),
        ("results/fig_conv_blur.png", "unknown kernel 'blur'"),
        ("results/table_kernel1_stride0.tsv", "stride '0' is not a positive integer"),
        ("results/table_kernel1_stride-3.tsv", "stride '-3' is not a positive integer"),
        ("results/table_kernel1_strideabc.tsv", "stride 'abc' is not a positive integer"),
    ],
)
def test_bad_target_is_one_clear_line(workflow, target, message):
    result = workflow.snakemake(target, check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0] and target in errors[0]
    assert "Traceback" not in result.stderr
    assert not workflow.path("results").exists()


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda c: c["conv"].update(image="missing.jpg"),
            "conv.image: 'missing.jpg' does not exist",
        ),
        (lambda c: c["conv"].update(padding=-1), "conv.padding: -1 is less than the minimum of 0"),
        (
            lambda c: c["conv"]["kernels"].update(bad=[[1, 2], [3]]),
            "conv.kernels.bad: rows have lengths [1, 2]",
        ),
        (
            lambda c: c["conv"]["kernels"].update(bad=[[1, "x"]]),
            "conv.kernels.bad.0.1: 'x' is not of type 'number'",
        ),
        (
            lambda c: c["conv"].update(colour="red"),
            "config key conv.colour is not a setting of this workflow; did you mean conv.colormap?",
        ),
        (
            lambda c: c["conv"].update(colormap="NoSuchMap"),
            "conv.colormap: 'NoSuchMap' is not a matplotlib colour map",
        ),
    ],
)
def test_bad_config_is_one_clear_line(workflow, change, message):
    config = workflow.config
    change(config)
    workflow.write_config(config)
    result = workflow.snakemake("-n", check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0], result.stderr[-2000:]
    assert "Traceback" not in result.stderr


def test_lint_is_clean(workflow):
    result = workflow.snakemake("--lint", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Lints for" not in result.stdout + result.stderr
