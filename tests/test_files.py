"""Atomic writes: a file appears under its name only once it is complete."""

import pytest

from convlab.files import atomic_path, write_json


def test_file_appears_only_when_complete(tmp_path):
    target = tmp_path / "metrics.json"
    with atomic_path(target) as partial:
        partial.write_text("{}")
        assert not target.exists() and partial.exists()
        assert partial.suffix == ".json" and partial.name.startswith(".")
    assert target.read_text() == "{}" and not partial.exists()


def test_failure_leaves_neither_file(tmp_path):
    target = tmp_path / "model.keras"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as partial:
            partial.write_text("half a model")
            raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


def test_failure_keeps_an_older_complete_file(tmp_path):
    target = tmp_path / "metrics.json"
    write_json(target, {"test_accuracy": 0.5})
    with pytest.raises(RuntimeError):
        with atomic_path(target) as partial:
            partial.write_text("{")
            raise RuntimeError("killed")
    assert target.read_text() == '{\n  "test_accuracy": 0.5\n}\n'
