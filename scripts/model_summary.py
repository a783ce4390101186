"""Figures 6 and 17: the Keras summary of one architecture, built untrained."""

from convlab.jobs import start_job, start_up_noise_kept_out
from convlab.pages import write_page

start_job(snakemake.log[0])

with start_up_noise_kept_out():
    from convlab.models import build_model, summary_text

    params = snakemake.params
    model = build_model(params.layers, params.l1, params.input_shape, len(params.classes))
with open(snakemake.output.text, "w", encoding="utf-8") as out:
    out.write(summary_text(model))
write_page(
    snakemake.output.text, snakemake.output.page, f"Model summary: {snakemake.wildcards.arch}"
)
