"""Train one run (architecture, n, L1 weight, epochs) and evaluate it, as in the seed.

Inputs are scaled to [0, 1]; Adam, categorical cross-entropy, batch 128 and a 10 %
validation split come from the config; the data reach Keras as a tf.data pipeline. The
first n training points are used (the seed's ``[1:n]`` dropped the first one). Seeds and TensorFlow's op determinism make a rerun on
the CPU give the same model.
"""

import math
import time

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from sklearn.dummy import DummyClassifier
from sklearn.metrics import classification_report, confusion_matrix

from convlab.models import build_model


def configure_tensorflow(threads: int, seed: int) -> None:
    """Limit TensorFlow to ``threads`` and seed it; call before any other TensorFlow use."""
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def device_name() -> str:
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "CPU"
    details = tf.config.experimental.get_device_details(gpus[0])
    return f"GPU ({details.get('device_name', gpus[0].name)})"


def batches(images, labels, num_classes: int, batch_size: int, shuffle_seed=None):
    """A tf.data pipeline of (scaled float32 images, one-hot labels) batches.

    The images stay uint8 in memory and are scaled to [0, 1] one batch at a time, so a
    50,000-image run never holds a float32 copy of the whole training set. With a seed,
    the order is reshuffled every epoch, as ``model.fit(shuffle=True)`` does.
    """
    data = tf.data.Dataset.from_tensor_slices((images, labels))
    if shuffle_seed is not None:
        data = data.shuffle(len(labels), seed=shuffle_seed, reshuffle_each_iteration=True)

    def scale(x, y):
        return tf.cast(x, tf.float32) / 255, tf.one_hot(y, num_classes)

    return data.batch(batch_size).map(scale, num_parallel_calls=tf.data.AUTOTUNE).prefetch(
        tf.data.AUTOTUNE
    )


def epoch_logger(epochs: int):
    """A Keras callback that prints one line per epoch (to the rule's log)."""
    def on_epoch_end(epoch, logs):
        values = "  ".join(f"{key} {value:.4f}" for key, value in logs.items())
        print(f"epoch {epoch + 1}/{epochs}  {values}", flush=True)

    return keras.callbacks.LambdaCallback(on_epoch_end=on_epoch_end)


def train_run(data, layers, n: int, l1: float, epochs: int, seed: int, settings: dict):
    """Build and fit one run. Returns the model, its history and the fit's duration in
    seconds with its start and end as Unix times (which runs shared the machine)."""
    (x_train, y_train), _ = data
    if not 1 <= n <= len(y_train):
        raise ValueError(f"n = {n} is outside 1..{len(y_train)}, the size of the training set")
    num_classes, batch_size = len(settings["classes"]), settings["batch_size"]
    # As Keras' validation_split: the last fraction of the n points, taken before shuffling.
    split = math.ceil(n * (1 - settings["validation_split"]))
    train = batches(x_train[:split], y_train[:split], num_classes, batch_size, seed)
    validation = batches(x_train[split:n], y_train[split:n], num_classes, batch_size)

    model = build_model(layers, l1, x_train.shape[1:], num_classes)
    model.compile(loss=settings["loss"], optimizer=settings["optimizer"], metrics=["accuracy"])
    start, clock = time.time(), time.perf_counter()
    history = model.fit(
        train,
        validation_data=validation,
        epochs=epochs,
        verbose=0,
        callbacks=[epoch_logger(epochs)],
    )
    fit = {"seconds": time.perf_counter() - clock, "start": start, "end": time.time()}
    return model, history.history, fit


def evaluate_run(model, data, n: int, classes, batch_size: int):
    """Test loss and accuracy, the dummy's accuracy, reports and confusion matrices."""
    (x_train, y_train), (x_test, y_test) = data
    num_classes = len(classes)
    test_loss, test_accuracy = model.evaluate(
        batches(x_test, y_test, num_classes, batch_size), verbose=0
    )
    dummy = DummyClassifier(strategy="most_frequent").fit(np.zeros((n, 1)), y_train[:n])
    dummy_accuracy = dummy.score(np.zeros((len(y_test), 1)), y_test)

    labels = list(range(num_classes))
    reports, confusions = {}, {}
    for split, (x, y) in {"train": (x_train[:n], y_train[:n]), "test": (x_test, y_test)}.items():
        predicted = np.argmax(model.predict(batches(x, y, num_classes, batch_size), verbose=0), axis=1)
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
    keys = {"accuracy": "train_accuracy", "loss": "train_loss",
            "val_accuracy": "val_accuracy", "val_loss": "val_loss"}
    return {name: float(history[key][-1]) for key, name in keys.items()}
