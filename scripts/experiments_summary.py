"""results/experiments_summary.csv: one row per configuration, its replicates summarised."""

from convlab.experiments import read_table, summarise
from convlab.jobs import start_job
from convlab.pages import write_page

start_job(snakemake.log[0])
summarise(read_table(snakemake.input.table)).to_csv(snakemake.output.table, index=False)
write_page(snakemake.output.table, snakemake.output.page, "Each configuration's replicates")
