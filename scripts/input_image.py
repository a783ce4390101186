"""Figure 2: the picture that Part 1 convolves, saved losslessly as the pixels used."""

from convlab.images import load_image, render_heart
from convlab.jobs import start_job

start_job(snakemake.log[0])
if snakemake.input.image:
    image = load_image(snakemake.input.image[0])
else:
    heart = snakemake.params.heart
    image = render_heart(heart["size"], heart["background"], heart["fill"])
print(f"image: {image.size[0]}x{image.size[1]} RGB")
image.save(snakemake.output[0])
