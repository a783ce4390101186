"""results/experiments.csv: one row per configured run."""

from convlab.experiments import collect
from convlab.jobs import start_job
from convlab.pages import write_page

start_job(snakemake.log[0])
collect(snakemake.input.metrics).to_csv(snakemake.output.table, index=False)
write_page(snakemake.output.table, snakemake.output.page, "Every configured run")
