"""The prepared data's record: the same data anywhere is recognised, other data is named."""

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from convlab.datasource import (
    KERAS,
    SourceChanged,
    check_same_source,
    fingerprint,
    remembered,
    source_record,
)

PREPARED = "results/data/cifar10.npz"


@pytest.fixture
def seen(tmp_path):
    return tmp_path / "cifar10.seen.json"


@pytest.fixture
def archive(tmp_path):
    """A source file and the record of the data prepared from it."""
    archive = tmp_path / "cifar.tar.gz"
    archive.write_bytes(b"data")
    return archive, source_record(str(archive), 200)


def moved_copy(archive, tmp_path):
    return shutil.copy(archive, tmp_path / "scratch.tar.gz")


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "tree"
    for name, data in {
        "train/cat/1.png": b"one",
        "train/dog/2.png": b"two",
        "test/cat/3.png": b"3",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_fingerprint_of_a_file_is_its_sha256(tmp_path):
    archive = tmp_path / "cifar.tar.gz"
    archive.write_bytes(b"some bytes")
    assert fingerprint(archive) == hashlib.sha256(b"some bytes").hexdigest()
    assert fingerprint(None) == KERAS


def test_fingerprint_of_a_folder_follows_names_and_content_not_place(tree, tmp_path):
    copy = shutil.copytree(tree, tmp_path / "elsewhere" / "copy")
    assert fingerprint(copy) == fingerprint(tree)
    (copy / "train/dog/2.png").rename(copy / "train/cat/2.png")
    assert fingerprint(copy) != fingerprint(tree)
    shutil.rmtree(copy)
    copy = shutil.copytree(tree, tmp_path / "copy2")
    (copy / "test/cat/3.png").write_bytes(b"4")
    assert fingerprint(copy) != fingerprint(tree)


def test_same_path_passes_without_reading_the_source(archive, seen, monkeypatch):
    archive, record = archive
    monkeypatch.setattr("convlab.datasource.fingerprint", lambda path: pytest.fail("read"))
    check_same_source(str(archive), record, PREPARED, seen)


def test_moved_copy_passes_and_other_data_is_named(archive, tmp_path, seen):
    archive, record = archive
    moved = moved_copy(archive, tmp_path)
    check_same_source(str(moved), record, PREPARED, seen)
    moved.write_bytes(b"other")
    with pytest.raises(
        SourceChanged,
        match=rf"cifar10.path is '{moved}', but {PREPARED} was "
        rf"prepared from '{archive}', other data",
    ):
        check_same_source(str(moved), record, PREPARED, seen)
    with pytest.raises(SourceChanged, match=r"cifar10.path is null \(keras.datasets.cifar10\)"):
        check_same_source(None, record, PREPARED, seen)


def test_same_path_with_new_content_is_named(archive, seen):
    archive, record = archive
    os.utime(archive, ns=(1, 1))  # same content, another time: still the same data
    check_same_source(str(archive), record, PREPARED, seen)
    archive.write_bytes(b"new data")
    with pytest.raises(SourceChanged, match="whose content has changed since"):
        check_same_source(str(archive), record, PREPARED, seen)


def test_a_moved_copy_is_read_once(archive, tmp_path, seen, monkeypatch):
    archive, record = archive
    moved = moved_copy(archive, tmp_path)
    check_same_source(str(moved), record, PREPARED, seen)
    monkeypatch.setattr("convlab.datasource.fingerprint", lambda path: pytest.fail("read"))
    check_same_source(str(moved), record, PREPARED, seen)
    check_same_source(str(archive), record, PREPARED, seen)


def test_a_folder_changed_in_place_is_named(tree, seen):
    record = source_record(str(tree), 2)
    check_same_source(str(tree), record, PREPARED, seen)
    (tree / "train/dog/2.png").write_bytes(b"two, redrawn")
    with pytest.raises(SourceChanged, match="whose content has changed since"):
        check_same_source(str(tree), record, PREPARED, seen)


def test_a_source_not_prepared_yet_is_read_once_per_content(tmp_path, seen):
    archive = tmp_path / "cifar.tar.gz"
    archive.write_bytes(b"data")
    calls = []

    def count(path):
        calls.append(path)
        return 200

    assert [remembered(str(archive), seen, "train_images", count) for _ in range(2)] == [200, 200]
    assert remembered(str(archive), seen, "sha256", fingerprint) == fingerprint(archive)
    assert calls == [str(archive)]
    archive.write_bytes(b"other data")  # another size: read again
    assert remembered(str(archive), seen, "train_images", count) == 200
    assert calls == [str(archive)] * 2
    assert "sha256" not in json.loads(seen.read_text())
    assert remembered(None, tmp_path / "none.json", "sha256", fingerprint) == KERAS
    assert not (tmp_path / "none.json").exists()


def test_a_plan_checks_a_source_on_this_host_and_trusts_one_that_is_not(tmp_path, monkeypatch):
    """A cluster node's job plans again where cifar10.path may not exist: the prepared file
    is what its run reads, so the plan stands; a source here with other data stops it."""
    from convlab.datasource import PREPARED as FILES
    from convlab.datasource import Planned, write_json

    monkeypatch.chdir(tmp_path)
    source = tmp_path / "cifar.tar.gz"
    source.write_bytes(b"data")
    Path(FILES["data"]).parent.mkdir(parents=True)
    Path(FILES["data"]).write_bytes(b"prepared")
    write_json(FILES["record"], source_record(str(source), 200))
    assert Planned(str(source)).record["train_images"] == 200
    assert Planned(str(tmp_path / "elsewhere.tar.gz")).record["train_images"] == 200
    (tmp_path / "other.tar.gz").write_bytes(b"other")
    with pytest.raises(SourceChanged, match="other data"):
        assert Planned(str(tmp_path / "other.tar.gz")).record is None
