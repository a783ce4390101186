"""results/claims.md: each of the assignment's conclusions, checked with confidence intervals."""

from convlab.claims import check_claims, claims_markdown
from convlab.experiments import read_table
from convlab.jobs import start_job

start_job(snakemake.log[0])
table = read_table(snakemake.input.table)
claims = check_claims(table, snakemake.params.runs, snakemake.params.limits)
with open(snakemake.output[0], "w", encoding="utf-8") as out:
    out.write(claims_markdown(claims))
