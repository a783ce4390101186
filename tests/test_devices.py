"""Where training jobs run, decided without TensorFlow."""

import pytest

from convlab.backends import Backend, no_gpu_seen
from convlab.devices import (
    gpu_request,
    place_training,
    training_memory_mb,
    training_priority,
    usable_cores,
    visible_gpus,
)
from convlab.slots import pool_text


def place(setting="auto", gpus=(), cpu_threads="auto", cores=2):
    return place_training(
        setting, list(gpus), 2, gpu_threads=2, cpu_threads=cpu_threads, cores=cores
    )


@pytest.mark.parametrize(
    "setting, gpus, cores, pool",
    [
        ("auto", (), 2, "cpu 2"),  # a laptop without a GPU: the cores, shared
        ("auto", ("0", "1"), 2, "gpu 0,1 x2"),  # a GPU workstation: each job on one
        ("auto", (), None, "cpu"),  # no --cores (a cluster): the threads each job asks for
        ("cpu", ("0",), 2, "cpu 2"),  # a GPU kept for something else
        ("gpu", (), 2, "gpu 0 x2"),  # then TensorFlow must see one, or the job stops
        ("gpu", (), None, "gpu 0 x2"),  # a cluster's GPU nodes (the profile: scheduler)
    ],
)
def test_placement(setting, gpus, cores, pool):
    placement = place(setting, gpus, cores=cores)
    assert pool_text(placement.pool) == pool
    assert placement.threads == (2 if placement.gpu else 1)
    assert placement.gpu == int(pool.startswith("gpu"))  # the `gpu` units a job holds


def test_a_fixed_cpu_thread_count_is_kept():
    placement = place(cpu_threads=3)
    assert pool_text(placement.pool) == "cpu" and placement.threads == 3


def test_the_pool_has_no_more_cores_than_this_process_may_use():
    assert place(cores=10_000).pool.cores == usable_cores()


@pytest.mark.parametrize(
    "setting, gpus",
    [
        ("", []),
        ("-1", []),
        ("2,0", ["2", "0"]),
        ("1,-1,0", ["1"]),
        ("GPU-5ab1, GPU-77c", ["GPU-5ab1", "GPU-77c"]),
    ],
)
def test_cuda_visible_devices_names_the_gpus_or_hides_them(monkeypatch, setting, gpus):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", setting)
    assert visible_gpus() == gpus


def test_the_line_for_a_gpu_the_backend_cannot_see_says_what_to_do():
    line = no_gpu_seen("1", Backend("tensorflow", "2.21.0", "CPU", 0))
    assert line == (
        "this training job holds GPU 1, but TensorFlow 2.21.0 sees no GPU: install "
        "tensorflow[and-cuda] (pip's plain tensorflow has no CUDA libraries) "
        "(docs/compute.md), or set `device: cpu` to train on the CPU"
    )
    assert "JAX 0.10.2 sees no GPU: install jax[cuda12]" in no_gpu_seen(
        None, Backend("jax", "0.10.2", "CPU", 0)
    )


def test_memory_grows_with_n_from_the_measured_peaks():
    assert training_memory_mb(5000) == pytest.approx(1.2 * 1000, rel=0.01)
    assert training_memory_mb(50000) == pytest.approx(1.2 * 1450, rel=0.01)
    assert training_memory_mb(100) < training_memory_mb(5000) < training_memory_mb(50000)


def test_larger_training_sets_start_first():
    order = sorted([5000, 50000, 100, 40000], key=training_priority, reverse=True)
    assert order == [50000, 40000, 5000, 100]


@pytest.mark.parametrize(
    "form, resources",
    [
        ("gpus", {"gpu": 1}),  # SLURM --gpus=1; --resources gpu=N counts it on one machine
        ("gres", {"gres": "gpu:1"}),  # --gres=gpu:1
        ("a100", {"gpu": 1, "gpu_model": "a100"}),  # --gpus=a100:1
    ],
)
def test_a_gpu_is_asked_for_in_the_site_s_form_and_a_cpu_job_asks_for_none(form, resources):
    assert gpu_request(place("gpu", ("0",)), form) == resources
    assert gpu_request(place("auto", ()), form) == {}
