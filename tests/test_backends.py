"""The Keras backend a job trains on, chosen as Keras chooses it, and the input batches each
backend reads: the same on all."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convlab.backends import chosen, unsupported
from convlab.training import Batches, tf_batches


def test_the_backend_is_chosen_as_keras_chooses_it(monkeypatch, tmp_path):
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert chosen() == "tensorflow"  # no setting: Keras's default
    (tmp_path / "keras.json").write_text(json.dumps({"backend": "jax"}))
    assert chosen() == "jax"
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    assert chosen() == "torch"  # the variable before the file, as in Keras


def test_a_backend_this_workflow_cannot_train_on_is_one_line(monkeypatch):
    assert unsupported("tensorflow") is None
    assert unsupported("numpy") == (
        "KERAS_BACKEND is 'numpy'; expected one of: tensorflow, jax, torch (TensorFlow when it "
        "is not set)"
    )
    monkeypatch.setattr("convlab.backends.PACKAGES", {"torch": ("no-such-package-here",)})
    assert unsupported("torch").startswith(
        "the Keras backend is torch (PyTorch), which is not installed here: install it"
    )


@settings(max_examples=20, deadline=None)
@given(
    size=st.integers(1, 40),
    batch_size=st.integers(1, 16),
    epochs=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_numpy_batches_are_tensorflow_s_batches(size, batch_size, epochs, seed):
    """The NumPy batches (JAX, PyTorch) against the tf.data pipeline (TensorFlow): the same
    images scaled the same way, the same one-hot labels, in the same order, bit for bit."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (size, 4, 4, 3), dtype=np.uint8)
    labels = rng.integers(0, 10, size)
    orders = np.stack([rng.permutation(size) for _ in range(epochs)])
    ours = Batches(images, labels, 10, batch_size, orders)
    theirs = list(tf_batches(images, labels, 10, batch_size, orders).as_numpy_iterator())
    assert len(ours) == len(theirs) == epochs * -(-size // batch_size)
    for index, (x, y) in enumerate(theirs):
        mine_x, mine_y = ours[index]
        assert mine_x.dtype == x.dtype == np.float32 and mine_y.dtype == y.dtype
        assert np.array_equal(mine_x, x) and np.array_equal(mine_y, y)


@pytest.mark.parametrize("orders", [None, np.array([[2, 0, 1]])])
def test_the_batches_go_through_the_data_once_in_order_or_in_the_given_orders(orders):
    from convlab.training import batches

    images = np.arange(3 * 12, dtype=np.uint8).reshape(3, 2, 2, 3)
    data = batches(images, np.array([0, 1, 2]), 3, 2, orders)
    first = next(iter(data))[1].numpy()  # TensorFlow's, in this suite
    assert np.array_equal(np.argmax(first, axis=1), [0, 1] if orders is None else [2, 0])
