"""Where training jobs run, decided without TensorFlow."""

import pytest

from convlab.devices import (
    describe,
    no_gpu_seen,
    place_training,
    training_memory_mb,
    training_priority,
    usable_cores,
    visible_gpus,
)
from convlab.slots import pool_text


def place(setting="auto", local=True, gpus=(), given=None, cpu_threads="auto", cores=2):
    return place_training(
        setting, local, list(gpus), given, 2, gpu_threads=2, cpu_threads=cpu_threads, cores=cores
    )


@pytest.mark.parametrize(
    "setting, local, gpus, pool",
    [
        ("auto", True, (), "cpu 2"),  # a laptop without a GPU: the cores, shared
        ("auto", True, ("0", "1"), "gpu 0,1 x2"),  # a GPU workstation: each job on one
        ("auto", False, (), "gpu"),  # a cluster: the nodes have the GPUs, not this host
        ("cpu", False, ("0",), "cpu"),  # a site without GPUs: the threads its jobs ask for
        ("cpu", True, ("0",), "cpu 2"),  # a GPU kept for something else
        ("gpu", True, (), "gpu 0 x2"),  # then TensorFlow must see one, or the job stops
    ],
)
def test_placement(setting, local, gpus, pool):
    placement = place(setting, local, gpus)
    assert pool_text(placement.pool) == pool
    assert placement.threads == (2 if placement.gpu else 1)


def test_the_users_gpu_count_picks_the_first_gpus():
    assert place(gpus=("0", "1", "2"), given=2).pool.gpus == ("0", "1")
    assert place(gpus=("0",), given=4).pool.gpus == ("0",)
    assert not place(gpus=("0",), given=0).gpu  # --resources gpu=0: the CPU


def test_a_fixed_cpu_thread_count_is_kept():
    placement = place(cpu_threads=3)
    assert pool_text(placement.pool) == "cpu" and placement.threads == 3


def test_the_pool_has_no_more_cores_than_this_process_may_use():
    assert place(cores=10_000).pool.cores == usable_cores()


def test_the_line_says_what_and_why():
    assert describe(place(cores=8), 8) == (
        "Training: no GPU visible: on the CPU, up to 8 job(s) at once, 1 thread(s) each while "
        f"others run; one that starts alone takes all {min(8, usable_cores())} cores "
        "(training.cpu_threads: auto)"
    )
    assert describe(place(gpus=("0", "1")), 8) == (
        "Training: a GPU is visible: on GPU(s) 0, 1, each training job bound to one, 2 job(s) "
        "per GPU (training.jobs_per_gpu), 2 CPU thread(s) each"
    )
    assert "the GPU its scheduler gives" in describe(place(local=False), 8)


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


def test_the_line_for_a_gpu_tensorflow_cannot_see_says_what_to_do():
    line = no_gpu_seen("1", "2.21.0", cuda_build=True)
    assert line == (
        "this training job holds GPU 1, but TensorFlow 2.21.0 sees no GPU: its CUDA libraries "
        "are missing (pip's plain `tensorflow` has none); install `tensorflow[and-cuda]==2.21.0` "
        "(docs/compute.md), or set `device: cpu` to train on the CPU"
    )
    assert "built without CUDA" in no_gpu_seen(None, "2.21.0", cuda_build=False)


def test_memory_grows_with_n_from_the_measured_peaks():
    assert training_memory_mb(5000) == pytest.approx(1.2 * 1000, rel=0.01)
    assert training_memory_mb(50000) == pytest.approx(1.2 * 1450, rel=0.01)
    assert training_memory_mb(100) < training_memory_mb(5000) < training_memory_mb(50000)


def test_larger_training_sets_start_first():
    order = sorted([5000, 50000, 100, 40000], key=training_priority, reverse=True)
    assert order == [50000, 40000, 5000, 100]
