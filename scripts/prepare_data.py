"""Read CIFAR-10 once from the configured source into results/data/cifar10.npz, and record
which source that was (see convlab.datasource)."""

import sys

from convlab.cifar10 import DataError, load_source, save_npz
from convlab.datasource import source_record, write_record
from convlab.files import atomic_path
from convlab.logs import redirect_to_log

redirect_to_log(snakemake.log[0])
# Read from the config, not from a param: Snakemake would re-prepare on a moved copy.
source = snakemake.config["cifar10"]["path"]
params = snakemake.params
try:
    (x_train, y_train), (x_test, y_test) = load_source(source, params.classes, params.seed)
except DataError as error:
    sys.exit(f"Error: {error}")
print(f"train {x_train.shape}, test {x_test.shape}, from {source or 'keras.datasets'}")
with atomic_path(snakemake.output.data) as partial:
    save_npz(partial, x_train, y_train, x_test, y_test)
with atomic_path(snakemake.output.record) as partial:
    write_record(partial, source_record(source, len(y_train)))
