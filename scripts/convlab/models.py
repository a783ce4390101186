"""Keras models built from the layer lists in config.yaml."""

import io

import keras


def build_model(layers, l1: float, input_shape, num_classes: int) -> keras.Sequential:
    """A Sequential net: the configured layers, then the classifier head every run shares.

    ``layers`` is a list of one-key mappings, ``{LayerType: {keyword: value}}``, each
    passed to ``keras.layers.LayerType``. The head is a softmax Dense layer whose kernel
    carries an L1 penalty of weight ``l1``, as in the assignment.
    """
    model = keras.Sequential([keras.Input(shape=tuple(input_shape))])
    for spec in layers:
        ((kind, options),) = spec.items()
        model.add(getattr(keras.layers, kind)(**(options or {})))
    model.add(
        keras.layers.Dense(
            num_classes, activation="softmax", kernel_regularizer=keras.regularizers.L1(l1)
        )
    )
    return model


def summary_text(model: keras.Model) -> str:
    """``model.summary()`` as text (Keras draws it with Unicode box characters)."""
    buffer = io.StringIO()
    model.summary(print_fn=lambda line, **_: buffer.write(line + "\n"))
    return buffer.getvalue()
