"""Loading CIFAR-10 from each layout the workflow accepts, and clear errors for bad data."""

import pickle

import numpy as np
import pytest
from PIL import Image

from cifar_fixtures import CLASSES, make_split, tar_folder, write_batches, write_image_tree
from convlab.cifar10 import DataError, load_source, source_kind, training_set_size
from convlab.prepared import content_record, load_npz, save_npz


def check_shapes(data, n_train, n_test):
    (x_train, y_train), (x_test, y_test) = data
    assert x_train.shape == (n_train, 32, 32, 3) and x_train.dtype == np.uint8
    assert x_test.shape == (n_test, 32, 32, 3) and x_test.dtype == np.uint8
    assert y_train.shape == (n_train,) and y_test.shape == (n_test,)
    assert set(np.unique(y_train)) == set(range(10))


def test_image_tree_folder_loads_shuffled_with_labels_in_cifar_order(tmp_path):
    root = write_image_tree(tmp_path / "tree")
    assert source_kind(root) == "images"
    assert training_set_size(root) == 200
    data = load_source(root, CLASSES, seed=0)
    check_shapes(data, 200, 50)
    (x_train, y_train), _ = data
    # Shuffled: the first 20 points are not all one class, as they are on disk.
    assert len(set(y_train[:20].tolist())) > 3
    # Labels follow the class list: each image matches its class's generated pixels.
    expected_images, expected_labels = make_split(20, seed=1)
    for label in range(10):
        ours = x_train[y_train == label]
        theirs = expected_images[expected_labels == label]
        assert sorted(map(bytes, ours)) == sorted(map(bytes, theirs))


def test_shuffle_is_fixed_by_the_seed(tmp_path):
    root = write_image_tree(tmp_path / "tree")
    first = load_source(root, CLASSES, seed=3)[0][1]
    again = load_source(root, CLASSES, seed=3)[0][1]
    other = load_source(root, CLASSES, seed=4)[0][1]
    assert np.array_equal(first, again) and not np.array_equal(first, other)


def test_image_tree_archive_with_a_top_folder_loads(tmp_path):
    root = write_image_tree(tmp_path / "tree", suffix=".jpg")
    archive = tar_folder(root, tmp_path / "cifar10-images.tar.gz", "cifar10-images")
    assert source_kind(archive) == "images"
    assert training_set_size(archive) == 200
    from_archive = load_source(archive, CLASSES, seed=0)
    from_folder = load_source(root, CLASSES, seed=0)
    check_shapes(from_archive, 200, 50)
    for a, b in zip(from_archive, from_folder):
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_official_batches_folder_and_archive_load(tmp_path):
    folder = write_batches(tmp_path / "cifar-10-batches-py")
    archive = tar_folder(folder, tmp_path / "cifar-10-python.tar.gz", "cifar-10-batches-py")
    for source in (folder, archive):
        assert source_kind(source) == "batches"
        data = load_source(source, CLASSES, seed=0)
        check_shapes(data, 100, 30)
        (x_train, y_train), _ = data
        # Official order is kept (no shuffle): batch 1 comes first, pixels decoded HWC.
        images, labels = make_split(2, seed=1)
        assert np.array_equal(x_train[:20], images) and np.array_equal(y_train[:20], labels)


def test_npz_round_trip(tmp_path):
    data = load_source(write_image_tree(tmp_path / "tree", 2, 1), CLASSES, seed=0)
    save_npz(tmp_path / "c.npz", *data[0], *data[1])
    loaded = load_npz(tmp_path / "c.npz")
    for a, b in zip(loaded, data):
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_content_record_follows_the_arrays_only(tmp_path):
    tree = write_image_tree(tmp_path / "tree", 2, 1)
    data = load_source(tree, CLASSES, seed=0)
    record = content_record(*data[0], *data[1])
    assert record["train_images"] == 20 and record["test_images"] == 10
    # The same images from a copy elsewhere are the same content; another shuffle is not.
    copy = load_source(tar_folder(tree, tmp_path / "copy.tar.gz", "cifar"), CLASSES, seed=0)
    assert content_record(*copy[0], *copy[1]) == record
    shuffled = load_source(tree, CLASSES, seed=7)
    assert content_record(*shuffled[0], *shuffled[1])["sha256"] != record["sha256"]
    (x_train, y_train), (x_test, y_test) = data
    x_train = x_train.copy()
    x_train[0, 0, 0, 0] ^= 1  # one bit of one pixel
    assert content_record(x_train, y_train, x_test, y_test)["sha256"] != record["sha256"]


def test_missing_path(tmp_path):
    with pytest.raises(DataError, match="cifar10.path: '.*nowhere' does not exist"):
        load_source(tmp_path / "nowhere", CLASSES, 0)


def test_folder_without_train_and_test(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(
        DataError, match="neither data_batch_1..5 and test_batch nor train/ and test/"
    ):
        load_source(tmp_path / "empty", CLASSES, 0)


def test_missing_class_folder_is_named(tmp_path):
    root = write_image_tree(tmp_path / "tree", 2, 1)
    for file in (root / "test" / "frog").iterdir():
        file.unlink()
    (root / "test" / "frog").rmdir()
    with pytest.raises(DataError, match="test/: no images for class folder\\(s\\) frog"):
        load_source(root, CLASSES, 0)


def test_wrong_image_size_names_the_file(tmp_path):
    root = write_image_tree(tmp_path / "tree", 2, 1)
    bad = root / "train" / "cat" / "big.png"
    Image.fromarray(np.zeros((40, 32, 3), dtype=np.uint8)).save(bad)
    with pytest.raises(DataError, match=f"{bad}: image is 32x40 RGB; expected 32x32 RGB"):
        load_source(root, CLASSES, 0)


def test_corrupt_pickle_batch_names_the_file(tmp_path):
    folder = write_batches(tmp_path / "batches")
    (folder / "data_batch_3").write_bytes(b"\x80\x04garbage")
    with pytest.raises(DataError, match="data_batch_3: not a CIFAR-10 batch"):
        load_source(folder, CLASSES, 0)


def test_wrong_batch_content_is_rejected(tmp_path):
    folder = write_batches(tmp_path / "batches")
    with open(folder / "test_batch", "wb") as file:
        pickle.dump({b"data": np.zeros((3, 100), dtype=np.uint8), b"labels": [0, 1, 2]}, file)
    with pytest.raises(DataError, match="test_batch: expected N rows of 3072 bytes"):
        load_source(folder, CLASSES, 0)


def test_truncated_archive_names_the_file(tmp_path):
    archive = tar_folder(write_image_tree(tmp_path / "tree", 2, 1), tmp_path / "c.tar.gz", "c")
    truncated = tmp_path / "cut.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(DataError, match="cut.tar.gz.*not a readable archive"):
        load_source(truncated, CLASSES, 0)


def test_file_that_is_not_an_archive(tmp_path):
    path = tmp_path / "data.zip"
    path.write_bytes(b"PK")
    with pytest.raises(DataError, match="not a .tar.gz, .tgz or .tar archive"):
        load_source(path, CLASSES, 0)


def test_numbered_labels_need_a_name_each(tmp_path):
    folder = write_batches(tmp_path / "cifar-10-batches-py")
    with pytest.raises(
        DataError,
        match=r"cifar10.classes names 3 classes, but .* has labels "
        r"0-9; list all 10 class names, in label order",
    ):
        load_source(str(folder), CLASSES[:3], 0)
