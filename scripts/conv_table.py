"""Tables 1-2: the red channel convolved with one kernel at one stride."""

from convlab.convolution import convolve2d
from convlab.images import load_image, red_channel
from convlab.jobs import start_job
from convlab.pages import write_page
from convlab.tables import write_matrix

start_job(snakemake.log[0])
red = red_channel(load_image(snakemake.input.image))
result = convolve2d(red, snakemake.params.kernel, snakemake.params.stride, snakemake.params.padding)
print(f"{red.shape} -> {result.shape}")
write_matrix(snakemake.output.table, result)
write_page(snakemake.output.table, snakemake.output.page, snakemake.output.table)
