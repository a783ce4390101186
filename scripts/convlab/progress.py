"""How far each training is: a line in its log at every epoch end, with the time, the pace and
the expected end, and the same in a small file beside its checkpoint
(results/checkpoints/<run>/progress.json) that ``python scripts/status.py`` reads to list
every training running now. The file goes when the training ends; one whose process is gone
(killed) is not listed as running.
"""

import json
import math
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path

from convlab.files import write_json

PROGRESS_FILE = "progress.json"


def duration(seconds: float) -> str:
    """A duration as one says it: 40 s, 12 min, 1 h 05 min."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def clock(when: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(when))


@dataclass
class Progress:
    """One training job's progress: ``first`` is the epoch it starts from (a resumed run),
    ``path`` its progress file, ``note`` what its status line adds (that it shares the
    cores)."""

    path: Path
    run: str
    first: int
    epochs: int
    started: float
    note: str | None = None

    @classmethod
    def begin(cls, folder, run: str, first: int, epochs: int, note=None) -> "Progress":
        progress = cls(Path(folder) / PROGRESS_FILE, run, first, epochs, time.time(), note)
        progress._write(first, None)
        return progress

    def _write(self, epoch: int, per_epoch: float | None) -> dict:
        now = time.time()
        record = {
            "run": self.run,
            "host": platform.node(),
            "pid": os.getpid(),
            "started": self.started,
            "updated": now,
            "epoch": epoch,
            "epochs": self.epochs,
            "seconds_per_epoch": per_epoch,
            "expected_end": None if per_epoch is None else now + per_epoch * (self.epochs - epoch),
            "note": self.note,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_json(self.path, record)
        return record

    def epoch_done(self, epoch: int, history: dict) -> str:
        """Record that ``epoch`` (counted from 1) ended; the log's line for it."""
        now = time.time()
        per_epoch = (now - self.started) / (epoch - self.first)
        record = self._write(epoch, per_epoch)
        values = "  ".join(f"{key} {values[-1]:.4f}" for key, values in history.items())
        left = record["expected_end"] - now
        ends = f"ends ~{clock(record['expected_end'])} (in {duration(left)})"
        ends = ends if epoch < self.epochs else "done"
        return (
            f"{clock(now)}  epoch {epoch}/{self.epochs}  {values}  {per_epoch:.1f} s/epoch, {ends}"
        )

    def end(self) -> None:
        self.path.unlink(missing_ok=True)


def _alive(record: dict, now: float) -> bool:
    """Whether the training that wrote ``record`` still runs: its process on this host, or on
    another host (a cluster node) a record updated within three epochs' time."""
    if record.get("host") == platform.node():
        try:
            os.kill(int(record["pid"]), 0)
        except ProcessLookupError:
            return False
        except (PermissionError, ValueError, KeyError):
            return True
        return not _zombie(int(record["pid"]))
    per_epoch = record.get("seconds_per_epoch") or 60.0
    return now - record.get("updated", 0) < max(120.0, 3 * per_epoch)


def _zombie(pid: int) -> bool:
    """A killed process that no parent has reaped yet (Linux; elsewhere: False)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[:1] == ["Z"]


def running(checkpoints_folder, now: float | None = None) -> list[dict]:
    """The progress records of every training running now, the one to end first first."""
    now = time.time() if now is None else now
    records = []
    for path in Path(checkpoints_folder).glob(f"*/{PROGRESS_FILE}"):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if _alive(record, now):
            records.append(record)
    return sorted(records, key=lambda r: (r["expected_end"] or float("inf"), r["run"]))


def status_lines(records: list[dict], finished: int, now: float | None = None) -> list[str]:
    """What ``python scripts/status.py`` prints: one line per running training."""
    now = time.time() if now is None else now
    if not records:
        return [f"No training is running; {finished} run(s) finished in results/runs/."]
    lines = [f"{len(records)} training(s) running; {finished} run(s) finished in results/runs/."]
    width = max(len(r["run"]) for r in records)
    for r in records:
        if r["seconds_per_epoch"] is None:
            pace = f"starting (for {duration(now - r['started'])})"
        else:
            left = max(0.0, r["expected_end"] - now)
            pace = (
                f"{r['seconds_per_epoch']:.1f} s/epoch, ends ~{clock(r['expected_end'])} "
                f"(in {duration(left)})"
            )
        note = f"; {r['note']}" if r.get("note") else ""
        lines.append(
            f"  {r['run']:<{width}}  epoch {r['epoch']}/{r['epochs']}  {pace}  [{r['host']}]{note}"
        )
    return lines
