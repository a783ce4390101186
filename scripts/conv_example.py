"""Figure 1: the worked example, its kernel and the result side by side."""

from convlab.convolution import convolve2d, format_equation
from convlab.jobs import start_job
from convlab.pages import write_page

start_job(snakemake.log[0])
example = snakemake.params.example
result = convolve2d(example["array"], example["kernel"], example["stride"], example["padding"])
with open(snakemake.output.text, "w", encoding="utf-8") as out:
    out.write(format_equation(example["array"], example["kernel"], result))
write_page(snakemake.output.text, snakemake.output.page, "Figure 1: the worked example")
