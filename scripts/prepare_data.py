"""Read CIFAR-10 once from the configured source into results/data/cifar10.npz, and record
which source that was (see convlab.datasource)."""

from pathlib import Path

from convlab.cifar10 import prepare
from convlab.datasource import source_record, write_record
from convlab.files import atomic_path
from convlab.jobs import start_job

start_job(snakemake.log[0])
# Read from the config, not from a param: Snakemake would re-prepare on a moved copy.
source = snakemake.config["cifar10"]["path"]
data = snakemake.output.data
train_images = prepare(source, snakemake.params.classes, snakemake.params.seed, data)
print(f"{train_images} training images from {source or 'keras.datasets'}")
with atomic_path(snakemake.output.record) as partial:
    write_record(partial, source_record(source, train_images, Path(data).stat().st_size))
