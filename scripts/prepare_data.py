"""Read CIFAR-10 once from the configured source into results/data/cifar10.npz, with two
records beside it: what it holds (convlab.prepared, the runs' input) and which source it came
from (convlab.datasource, checked at planning)."""

from pathlib import Path

from convlab.cifar10 import prepare
from convlab.datasource import source_record
from convlab.files import write_json
from convlab.jobs import start_job

start_job(snakemake.log[0])
# Read from the config, not from a param: Snakemake would re-prepare on a moved copy.
source = snakemake.config["cifar10"]["path"]
out = snakemake.output
content = prepare(source, snakemake.params.classes, snakemake.params.seed, out.data)
print(
    f"{content['train_images']} training and {content['test_images']} test images from "
    f"{source or 'keras.datasets'}; content sha256 {content['sha256']}"
)
write_json(out.content, content)
write_json(
    out.record, source_record(source, content["train_images"], Path(out.data).stat().st_size)
)
