"""results/claims/look{index}.json: one look at the claims (convlab.verdicts.look)."""

import json

from convlab.claims import declare, first_counts
from convlab.experiments import by_seed, collect
from convlab.files import write_json
from convlab.jobs import start_job
from convlab.verdicts import look

start_job(snakemake.log[0])
claims = declare(snakemake.params.runs, snakemake.params.limits)
counts, index = snakemake.params.counts, snakemake.params.index
previous = None
if index > 0:
    with open(snakemake.input.previous, encoding="utf-8") as file:
        previous = json.load(file)
at = (previous["next"] or previous["at"]) if previous else first_counts(claims, counts)
table = collect(snakemake.input.metrics)
record = look(claims, lambda run, column: by_seed(table, run, column), index, counts, at, previous)
write_json(snakemake.output[0], record)
open_effects = sum(result["verdict"] == "inconclusive" for result in record["results"])
print(f"look {index + 1} of {len(counts)}: {open_effects} effect(s) open; next: {record['next']}")
