"""The assignment's training step (Appendix B), kept as the benchmark's baseline.

Only what the timing needs is kept: the same model (Figure 5), float32 inputs scaled in
NumPy, one-hot labels, Adam, batch 128, a 10 % validation split, TensorFlow's default
threading and no seeding, and Keras' default progress output. The hard-coded
``/device:GPU:1`` and the ``[1:n]`` slice are left out: the first fails without a second
GPU, the second would train on one image fewer than the workflow.
"""

import time

import keras
from keras import regularizers
from keras.layers import Conv2D, Dense, Dropout, Flatten


def assignment_fit(x_train, y_train, x_test, y_test, n, epochs, weight=0.0001):
    num_classes = 10
    x_train = x_train[:n].astype("float32") / 255
    x_test = x_test.astype("float32") / 255
    y_train = keras.utils.to_categorical(y_train[:n], num_classes)
    y_test = keras.utils.to_categorical(y_test, num_classes)

    model = keras.Sequential()
    model.add(Conv2D(16, (3, 3), padding="same", input_shape=x_train.shape[1:], activation="relu"))
    model.add(Conv2D(16, (3, 3), strides=(2, 2), padding="same", activation="relu"))
    model.add(Conv2D(32, (3, 3), padding="same", activation="relu"))
    model.add(Conv2D(32, (3, 3), strides=(2, 2), padding="same", activation="relu"))
    model.add(Dropout(0.5))
    model.add(Flatten())
    model.add(Dense(num_classes, activation="softmax", kernel_regularizer=regularizers.l1(weight)))
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])

    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=128, epochs=epochs, validation_split=0.1)
    fit_seconds = time.perf_counter() - start
    test_accuracy = model.evaluate(x_test, y_test, verbose=0)[1]
    return fit_seconds, float(test_accuracy)
