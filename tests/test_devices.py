"""Where training jobs run, decided without TensorFlow."""

import pytest

from convlab.devices import (
    Placement,
    describe,
    gpu_visible,
    place_training,
    training_memory_mb,
    training_priority,
)


@pytest.mark.parametrize(
    "setting, local, visible, gpu",
    [
        ("auto", True, False, False),  # a laptop without a GPU: the cores
        ("auto", True, True, True),  # a GPU workstation
        ("auto", False, False, True),  # a cluster: the nodes have the GPUs, not this host
        ("cpu", False, True, False),  # a site without GPUs, or a GPU kept for something else
        ("gpu", True, False, True),
    ],
)
def test_placement(setting, local, visible, gpu):
    placement = place_training(setting, local, visible, gpu_threads=2, cpu_threads=1)
    assert placement.gpu == gpu and placement.threads == (2 if gpu else 1)


def test_the_line_says_what_and_why():
    assert describe(Placement(False, 1, "no GPU visible"), 8) == (
        "Training: no GPU visible: on the CPU, up to 8 job(s) at once, 1 thread(s) each"
    )
    assert "each training job holds one `gpu` unit" in describe(
        Placement(True, 2, "a GPU is visible"), 8
    )


def test_cuda_visible_devices_can_hide_every_gpu(monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert not gpu_visible()
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "-1")
    assert not gpu_visible()


def test_memory_grows_with_n_from_the_measured_peaks():
    assert training_memory_mb(5000) == pytest.approx(1.2 * 1000, rel=0.01)
    assert training_memory_mb(50000) == pytest.approx(1.2 * 1450, rel=0.01)
    assert training_memory_mb(100) < training_memory_mb(5000) < training_memory_mb(50000)


def test_larger_training_sets_start_first():
    order = sorted([5000, 50000, 100, 40000], key=training_priority, reverse=True)
    assert order == [50000, 40000, 5000, 100]
