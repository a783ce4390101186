"""Read CIFAR-10 once from the configured source into results/data/cifar10.npz."""

import sys

from convlab.cifar10 import DataError, load_source, save_npz
from convlab.files import atomic_path
from convlab.logs import redirect_to_log

redirect_to_log(snakemake.log[0])
cifar = snakemake.params.cifar10
try:
    (x_train, y_train), (x_test, y_test) = load_source(cifar["path"], cifar["classes"], cifar["seed"])
except DataError as error:
    sys.exit(f"Error: {error}")
print(f"train {x_train.shape}, test {x_test.shape}, from {cifar['path'] or 'keras.datasets'}")
with atomic_path(snakemake.output[0]) as partial:
    save_npz(partial, x_train, y_train, x_test, y_test)
