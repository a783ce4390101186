"""What makes a run's numbers a function of its seed on every backend: the seed of every
random generator Keras uses and the backend's deterministic kernels.

It shapes every weight, so it is one of a training's code inputs (convlab.imports): an
edit here trains every run again. Every call of a seeding or determinism API in the
workflow is in this module (tests/test_imports.py).
"""


def environment(backend: str, gpu: bool) -> dict[str, str]:
    """What must be in the environment before ``backend`` starts for deterministic kernels:
    XLA's deterministic GPU ops for JAX, a fixed cuBLAS workspace for PyTorch on a GPU."""
    if backend == "jax" and gpu:
        return {"XLA_FLAGS": "--xla_gpu_deterministic_ops=true"}
    if backend == "torch" and gpu:
        return {"CUBLAS_WORKSPACE_CONFIG": ":4096:8"}
    return {}


def seed_everything(backend: str, seed: int) -> None:
    """Seed Python's, NumPy's and the backend's generators (Keras' own call), and turn on the
    backend's deterministic ops where it has a switch; call once the backend has started
    (convlab.backends.start)."""
    import keras

    keras.utils.set_random_seed(seed)
    if backend == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    elif backend == "torch":
        import torch

        torch.use_deterministic_algorithms(True)
