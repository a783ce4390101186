"""results/claims.md: each of the assignment's conclusions, checked, from the last look."""

import json

from convlab.claims import declare
from convlab.jobs import start_job
from convlab.pages import write_page
from convlab.verdicts import claims_markdown

start_job(snakemake.log[0])
with open(snakemake.input.record, encoding="utf-8") as file:
    record = json.load(file)
claims = declare(snakemake.params.runs, snakemake.params.limits)
with open(snakemake.output.claims, "w", encoding="utf-8") as out:
    out.write(claims_markdown(claims, record))
write_page(snakemake.output.claims, snakemake.output.page, "The assignment's conclusions, checked")
