"""CIFAR-10 from any of its usual forms into one array file that every run reads.

Sources (``cifar10.path`` in the config):

- ``None``: ``keras.datasets.cifar10.load_data()``, downloaded once into the Keras cache;
- the official ``cifar-10-python.tar.gz``, or its extracted ``cifar-10-batches-py`` folder;
- an image-folder tree ``train/<class>/*`` and ``test/<class>/*`` (PNG or JPEG), or a
  ``.tar.gz`` of one; classes map to labels by their position in the config's class list.

Image folders come sorted by class, so they are shuffled once with a fixed seed: the
first n training points are then a fair sample, as they are in the official order.
"""

import io
import pickle
import tarfile
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image, UnidentifiedImageError

from convlab.errors import UserError
from convlab.files import atomic_path
from convlab.prepared import content_record, prepared_damage, save_npz

IMAGE_SHAPE = (32, 32, 3)
BATCHES = [f"data_batch_{i}" for i in range(1, 6)]
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar")


class DataError(UserError):
    """A data source that cannot be read as CIFAR-10."""


# --- the prepared file -------------------------------------------------------------------


def prepare(source, classes, seed: int, path) -> dict:
    """Read CIFAR-10 from ``source`` (see ``load_source``) into the prepared file at ``path``,
    written atomically; returns the record of its content (convlab.prepared)."""
    (x_train, y_train), (x_test, y_test) = load_source(source, classes, seed)
    with atomic_path(path) as partial:
        save_npz(partial, x_train, y_train, x_test, y_test)
    return content_record(x_train, y_train, x_test, y_test)


def repair_prepared(path, record: dict, content: dict | None, cifar10: dict) -> None:
    """Prepare the damaged file at ``path`` again from the configured source, which holds
    the data of its ``record`` (checked before). The same source gives the same content,
    which is checked against ``content``, the record that the runs were trained on."""
    again = prepare(cifar10["path"], cifar10["classes"], cifar10["seed"], path)
    damage = prepared_damage(path, record.get("prepared_bytes"))
    if damage or (content is not None and again != content):
        raise DataError(
            f"{path} was prepared again but differs from the record the runs were trained on "
            f"({damage or 'other content'}); delete results/data/ to prepare and train "
            "everything again"
        )


# --- reading a source ----------------------------------------------------------------------


def load_source(path, classes, seed: int):
    """Read CIFAR-10 from ``path`` (see the module's doc) as uint8 images and int64 labels."""
    if path is None:
        return _labelled_by(classes, _from_keras(), "keras.datasets.cifar10")
    path = Path(path)
    kind = source_kind(path)
    if kind == "batches":
        return _labelled_by(classes, _from_batches(_batch_reader(path)), str(path))
    return _shuffled(_from_image_tree(_image_tree_files(path), classes), seed)


def _labelled_by(classes, data, source: str):
    """Data whose labels are numbers (the official forms) need a class name for each."""
    (x_train, y_train), (x_test, y_test) = data
    labels = int(max(y_train.max(), y_test.max())) + 1
    if labels > len(classes):
        raise DataError(
            f"cifar10.classes names {len(classes)} classes, but {source} has labels "
            f"0-{labels - 1}; list all {labels} class names, in label order"
        )
    return data


def source_kind(path: Path) -> str:
    """'batches' (official pickles) or 'images' (class folders), or a DataError."""
    if not path.exists():
        raise DataError(f"cifar10.path: {str(path)!r} does not exist")
    if path.is_dir():
        if (path / BATCHES[0]).is_file():
            return "batches"
        if (path / "train").is_dir() and (path / "test").is_dir():
            return "images"
        raise DataError(
            f"cifar10.path: {str(path)!r} holds neither data_batch_1..5 and test_batch "
            "nor train/ and test/ class folders"
        )
    if not path.name.endswith(ARCHIVE_SUFFIXES):
        raise DataError(
            f"cifar10.path: {str(path)!r} is a file but not a .tar.gz, .tgz or .tar archive"
        )
    names = _archive_names(path)
    if any(PurePosixPath(name).name == BATCHES[0] for name in names):
        return "batches"
    if _image_members(names):
        return "images"
    raise DataError(
        f"cifar10.path: archive {str(path)!r} holds neither data_batch_1..5 and test_batch "
        "nor train/ and test/ class folders of images"
    )


def training_set_size(path) -> int:
    """How many training images ``path`` holds, read without decoding any of them."""
    if path is None:
        return 50000
    path = Path(path)
    if source_kind(path) == "batches":
        return 10000 * len(BATCHES)
    if path.is_dir():
        return sum(1 for f in (path / "train").glob("*/*") if f.suffix.lower() in IMAGE_SUFFIXES)
    return sum(1 for split, _, _ in _image_members(_archive_names(path)) if split == "train")


def _from_keras():
    import keras

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    except Exception as error:  # Keras raises a bare Exception when the download fails
        raise DataError(
            f"cifar10.path is null, so Keras downloads CIFAR-10, and that failed ({error}); "
            "without network access here, fetch cifar-10-python.tar.gz from "
            "https://www.cs.toronto.edu/~kriz/cifar.html elsewhere and set cifar10.path to it "
            "(or to a train/<class>/, test/<class>/ image tree) in local.yaml"
        ) from None
    return (x_train, y_train.ravel().astype(np.int64)), (x_test, y_test.ravel().astype(np.int64))


def _archive_names(path: Path) -> list[str]:
    try:
        with tarfile.open(path) as archive:
            return archive.getnames()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise DataError(f"cifar10.path: {str(path)!r} is not a readable archive: {error}") from None


# Official pickled batches ------------------------------------------------------------------


def _batch_reader(path: Path):
    """A function from a batch's name to its unpickled content, for a folder or an archive."""
    if path.is_dir():

        def read(name):
            file = path / name
            if not file.is_file():
                raise DataError(f"{file}: missing CIFAR-10 batch")
            return _unpickle(file.read_bytes(), file)

        return read

    archive_names = {PurePosixPath(n).name: n for n in _archive_names(path)}

    def read(name):
        if name not in archive_names:
            raise DataError(f"{path}: archive has no CIFAR-10 batch {name!r}")
        try:
            with tarfile.open(path) as archive:
                data = archive.extractfile(archive_names[name]).read()
        except (tarfile.TarError, OSError, EOFError) as error:
            raise DataError(f"{path}: cannot read {name!r} from the archive: {error}") from None
        return _unpickle(data, f"{path}:{archive_names[name]}")

    return read


def _unpickle(data: bytes, where):
    try:
        batch = pickle.loads(data, encoding="bytes")
        images = np.asarray(batch[b"data"], dtype=np.uint8)
        labels = np.asarray(batch[b"labels"], dtype=np.int64)
    except Exception as error:  # any failure to decode means a corrupt batch
        raise DataError(
            f"{where}: not a CIFAR-10 batch ({type(error).__name__}: {error})"
        ) from None
    if images.ndim != 2 or images.shape[1] != 3072 or len(labels) != len(images):
        raise DataError(f"{where}: expected N rows of 3072 bytes and N labels, got {images.shape}")
    # Each row is the red, green and blue 32x32 planes, one after the other.
    return images.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), labels


def _from_batches(read):
    parts = [read(name) for name in BATCHES]
    x_train = np.concatenate([x for x, _ in parts])
    y_train = np.concatenate([y for _, y in parts])
    return (x_train, y_train), read("test_batch")


# Image folders -----------------------------------------------------------------------------


def _image_members(names):
    """(split, class, name) of every image below a train/ or test/ folder in an archive."""
    members = []
    for name in names:
        parts = PurePosixPath(name).parts
        if (
            len(parts) >= 3
            and parts[-3] in ("train", "test")
            and (PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES)
        ):
            members.append((parts[-3], parts[-2], name))
    return members


def _image_tree_files(path: Path):
    """(split, class, where, read) for every image of a folder tree or an archive of one."""
    if path.is_dir():
        files = []
        for split in ("train", "test"):
            for file in sorted((path / split).glob("*/*")):
                if file.suffix.lower() in IMAGE_SUFFIXES:
                    files.append((split, file.parent.name, str(file), file.read_bytes))
        return files

    try:
        with tarfile.open(path) as archive:
            files = []
            for member in archive.getmembers():
                parts = PurePosixPath(member.name).parts
                if (
                    member.isfile()
                    and len(parts) >= 3
                    and parts[-3] in ("train", "test")
                    and PurePosixPath(member.name).suffix.lower() in IMAGE_SUFFIXES
                ):
                    data = archive.extractfile(member).read()
                    files.append(
                        (parts[-3], parts[-2], f"{path}:{member.name}", lambda data=data: data)
                    )
    except (tarfile.TarError, OSError, EOFError) as error:
        raise DataError(f"{path}: cannot read the archive: {error}") from None
    return sorted(files, key=lambda f: f[2])


def _decode(where, data: bytes) -> np.ndarray:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            mode, size = image.mode, image.size
            pixels = np.asarray(image)
    except (UnidentifiedImageError, OSError) as error:
        raise DataError(f"{where}: not a readable image ({error})") from None
    if mode != "RGB" or size != IMAGE_SHAPE[:2]:
        raise DataError(f"{where}: image is {size[0]}x{size[1]} {mode}; expected 32x32 RGB")
    return pixels


def _from_image_tree(files, classes):
    label_of = {name: label for label, name in enumerate(classes)}
    splits = {}
    for split in ("train", "test"):
        found = {cls for s, cls, _, _ in files if s == split}
        if missing := [c for c in classes if c not in found]:
            raise DataError(f"{split}/: no images for class folder(s) {', '.join(missing)}")
        if unknown := sorted(found - set(classes)):
            raise DataError(
                f"{split}/: unknown class folder(s) {', '.join(unknown)}; "
                f"expected: {', '.join(classes)}"
            )
        chosen = [(cls, where, read) for s, cls, where, read in files if s == split]
        x = np.stack([_decode(where, read()) for _, where, read in chosen])
        y = np.array([label_of[cls] for cls, _, _ in chosen], dtype=np.int64)
        splits[split] = (x, y)
    return splits["train"], splits["test"]


def _shuffled(data, seed: int):
    rng = np.random.default_rng(seed)
    shuffled = []
    for x, y in data:
        order = rng.permutation(len(y))
        shuffled.append((x[order], y[order]))
    return tuple(shuffled)
