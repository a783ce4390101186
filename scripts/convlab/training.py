"""Train one run (architecture, n, L1 weight, epochs, seed) and evaluate it, as in the
assignment.

Inputs are scaled to [0, 1]; Adam, categorical cross-entropy, batch 128 and a 10 %
validation split come from the config; the data reach Keras in batches its backend reads
fastest (convlab.backends starts it). The first n training points are used (the
assignment's ``[1:n]`` dropped the first one), or with ``replicates_vary: [seed, sample]``
n drawn by the run's seed (``run_images``). Seeds, a shuffle order fixed by (seed, epoch)
and the backend's determinism make a rerun on the CPU give the same model, whether or not it
was interrupted and resumed.
"""

import math
import time

import keras
import numpy as np
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.metrics import classification_report, confusion_matrix

from convlab.checkpoints import restore
from convlab.files import atomic_path
from convlab.models import build_model, summary_text
from convlab.optimizers import optimizer_parts
from convlab.splits import split_sizes


def batches(images, labels, num_classes: int, batch_size: int, orders=None):
    """(scaled float32 images, one-hot labels) batches, as the backend reads them fastest:
    a tf.data pipeline on TensorFlow (NumPy batches there took 1.9x as long per epoch on
    this CPU, 2026-12-03), NumPy batches (``Batches``) on the others. Both give the same
    batches (tests/test_backends.py).

    ``orders`` holds one row of indices per epoch, each epoch batched on its own; None goes
    through the data once, in order. The images stay uint8 in memory and are scaled to
    [0, 1] one batch at a time, so a 50,000-image run never holds a float32 copy of the
    whole training set.
    """
    orders = np.arange(len(labels))[np.newaxis] if orders is None else orders
    if keras.backend.backend() == "tensorflow":
        return tf_batches(images, labels, num_classes, batch_size, orders)
    return Batches(images, labels, num_classes, batch_size, orders)


class Batches(keras.utils.PyDataset):
    """``batches`` as NumPy arrays, which every Keras backend reads."""

    def __init__(self, images, labels, num_classes: int, batch_size: int, orders):
        super().__init__()
        self.images, self.labels, self.batch_size, self.orders = images, labels, batch_size, orders
        self.per_epoch = math.ceil(orders.shape[1] / batch_size)
        self.one_hot = np.eye(num_classes, dtype=np.float32)

    def __len__(self) -> int:
        return len(self.orders) * self.per_epoch

    def __getitem__(self, index: int):
        epoch, batch = divmod(index, self.per_epoch)
        chosen = self.orders[epoch, batch * self.batch_size : (batch + 1) * self.batch_size]
        images = self.images[chosen].astype(np.float32) / np.float32(255)
        return images, self.one_hot[self.labels[chosen]]


def tf_batches(images, labels, num_classes: int, batch_size: int, orders):
    """``batches`` as a tf.data pipeline (TensorFlow's backend only)."""
    import tensorflow as tf

    images, labels = tf.convert_to_tensor(images), tf.convert_to_tensor(labels)

    def lookup(index):
        x, y = tf.gather(images, index), tf.gather(labels, index)
        return tf.cast(x, tf.float32) / 255, tf.one_hot(y, num_classes)

    epochs = tf.data.Dataset.from_tensor_slices(orders)
    data = epochs.flat_map(
        lambda order: tf.data.Dataset.from_tensor_slices(order).batch(batch_size)
    )
    # flat_map hides the length; said, Keras' evaluate and predict stop at the end instead of
    # running out of data (its "Your input ran out of data" warning).
    count = len(orders) * math.ceil(orders.shape[1] / batch_size)
    data = data.apply(tf.data.experimental.assert_cardinality(count))
    # Two batches made ahead, in fixed threads. tf.data's autotuner thread sleeps up to a
    # minute between its rounds, and the end of model.fit waits for it to wake: 5 to 58 s
    # after the last epoch in a third of the fits (2026-12-06), none with it off.
    options = tf.data.Options()
    options.autotune.enabled = False
    return data.map(lookup, num_parallel_calls=2).prefetch(2).with_options(options)


def epoch_order(size: int, seed: int, epoch: int) -> np.ndarray:
    """The shuffle order of one epoch: a function of (seed, epoch) alone, so that a resumed
    run sees the same order as one that never stopped."""
    return np.random.default_rng([seed, epoch]).permutation(size)


def train_run(
    data,
    layers,
    n: int,
    l1: float,
    epochs: int,
    seed: int,
    settings: dict,
    resume_from=None,
    on_epoch_end=None,
):
    """Build and fit one run.

    ``resume_from`` is a saved state (a convlab.checkpoints.State) to continue from;
    ``on_epoch_end(epoch, model, history, fit_seconds)`` is called after each
    epoch. Returns the model, its history and this job's fit: its duration in seconds, with
    its start, end and last epoch's end as Unix times (which runs shared the machine; that
    the fit ends with its last epoch), and the whole training's seconds.
    """
    x_train, y_train = run_images(data, n, seed, settings)
    num_classes, batch_size = len(settings["classes"]), settings["batch_size"]
    split, held_out = split_sizes(n, settings["validation_split"])
    validation = batches(x_train[split:n], y_train[split:n], num_classes, batch_size)

    model = build_model(layers, l1, x_train.shape[1:], num_classes)
    model.compile(
        loss=settings["loss"],
        optimizer=build_optimizer(settings["optimizer"]),
        metrics=["accuracy"],
    )
    history, first, earlier_seconds = {}, 0, 0.0
    if resume_from is not None:
        restore(model, resume_from)
        meta = resume_from.meta
        history, first, earlier_seconds = meta["history"], meta["epoch"], meta["fit_seconds"]

    start, clock = time.time(), time.perf_counter()
    last_epoch = {"end": None}  # when this job's last epoch ended (None: it trained none)

    def epoch_end(epoch, logs):
        last_epoch["end"] = time.time()
        for key, value in logs.items():
            history.setdefault(key, []).append(float(value))
        if on_epoch_end is not None:
            on_epoch_end(epoch + 1, model, history, earlier_seconds + time.perf_counter() - clock)

    if first < epochs:
        orders = np.stack([epoch_order(split, seed, epoch) for epoch in range(first, epochs)])
        # One call for all epochs (a call per epoch costs 15-25 % on one thread).
        model.fit(
            batches(x_train[:split], y_train[:split], num_classes, batch_size, orders),
            validation_data=validation,
            initial_epoch=first,
            epochs=epochs,
            steps_per_epoch=math.ceil(split / batch_size),
            validation_steps=math.ceil(held_out / batch_size),
            shuffle=False,  # the order is the dataset's own, fixed by (seed, epoch)
            verbose=0,
            callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=epoch_end)],
        )
    seconds = time.perf_counter() - clock
    fit = {
        "seconds": seconds,
        "start": start,
        "end": time.time(),
        "last_epoch_end": last_epoch["end"],
        "total_seconds": earlier_seconds + seconds,
    }
    return model, history, fit


def run_images(data, n: int, seed: int, settings: dict):
    """The n training images and labels of a run: the first n, or with a seeded sample
    (convlab.studies.SEEDED_SAMPLE) the first n of a permutation drawn by the seed, so that a
    replicate's images are its own and a larger n of the same seed holds a smaller one's."""
    (x_train, y_train), _ = data
    if not 1 <= n <= len(y_train):
        raise ValueError(f"n = {n} is outside 1..{len(y_train)}, the size of the training set")
    if settings.get("sample") is None:
        return x_train[:n], y_train[:n]
    chosen = np.random.default_rng(seed).permutation(len(y_train))[:n]
    return x_train[chosen], y_train[chosen]


def build_optimizer(optimizer):
    """A Keras optimizer from its canonical spelling ``{ClassName: options}`` (or a name)."""
    name, options = optimizer_parts(optimizer)
    return keras.optimizers.get(name).__class__(**options)


def evaluate_run(model, data, n: int, seed: int, settings: dict):
    """Test loss and accuracy, the dummy's accuracy (most frequent class of the run's n
    images), reports and confusion matrices."""
    _, (x_test, y_test) = data
    x_train, y_train = run_images(data, n, seed, settings)
    classes, batch_size = settings["classes"], settings["batch_size"]
    num_classes = len(classes)
    test_loss, test_accuracy = model.evaluate(
        batches(x_test, y_test, num_classes, batch_size), verbose=0
    )
    dummy = DummyClassifier(strategy="most_frequent").fit(np.zeros((n, 1)), y_train)
    dummy_accuracy = dummy.score(np.zeros((len(y_test), 1)), y_test)

    labels = list(range(num_classes))
    reports, confusions = {}, {}
    for split, (x, y) in {"train": (x_train, y_train), "test": (x_test, y_test)}.items():
        predicted = np.argmax(
            model.predict(batches(x, y, num_classes, batch_size), verbose=0), axis=1
        )
        reports[split] = classification_report(
            y, predicted, labels=labels, target_names=classes, digits=3, zero_division=0
        )
        confusions[split] = pd.DataFrame(
            confusion_matrix(y, predicted, labels=labels), index=classes, columns=classes
        )
    metrics = {
        "test_accuracy": float(test_accuracy),
        "test_loss": float(test_loss),
        "dummy_test_accuracy": float(dummy_accuracy),
    }
    return metrics, reports, confusions


def final_epoch(history: dict) -> dict:
    """Train and validation loss and accuracy of the last epoch."""
    keys = {
        "accuracy": "train_accuracy",
        "loss": "train_loss",
        "val_accuracy": "val_accuracy",
        "val_loss": "val_loss",
    }
    return {name: float(history[key][-1]) for key, name in keys.items()}


def save_run_files(out, model, history: dict, reports: dict, confusions: dict) -> None:
    """A trained run's model, history, summary, reports and confusion matrices, each written
    atomically to its path in ``out`` (the rule's outputs)."""
    with atomic_path(out.model) as partial:
        model.save(partial)
    with atomic_path(out.history) as partial:
        pd.DataFrame(history).rename_axis("epoch").rename(lambda i: i + 1).to_csv(partial)
    with atomic_path(out.summary) as partial:
        partial.write_text(summary_text(model), encoding="utf-8")
    for split in ("train", "test"):
        with atomic_path(out[f"report_{split}"]) as partial:
            partial.write_text(reports[split], encoding="utf-8")
        with atomic_path(out[f"confusion_{split}"]) as partial:
            confusions[split].to_csv(partial)
