"""How a rule's script ends on a failure: one line on the screen, the traceback only in the
log and only for a bug."""

import errno
import os
import subprocess
import sys

import pytest

from conftest import REPO
from convlab.images import ImageError
from convlab.jobs import start_up_noise_kept_out, user_message

SCRIPT = """
import sys
sys.path.insert(0, {scripts!r})
from convlab.jobs import start_job
start_job({log!r})
print("working")
{failure}
"""


def run_script(tmp_path, failure):
    log = tmp_path / "job.log"
    code = SCRIPT.format(scripts=str(REPO / "scripts"), log=str(log), failure=failure)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return result, log.read_text()


def test_a_user_mistake_is_one_line_on_the_screen_and_in_the_log(tmp_path):
    result, log = run_script(
        tmp_path, "from convlab.images import load_image\nload_image(sys.executable)"
    )
    assert result.returncode == 1
    assert result.stdout == ""
    line = f"Error: conv.image: {sys.executable!r} is not a readable image (PNG, JPEG, ...)"
    assert result.stderr.startswith(line) and result.stderr.count("\n") == 1, result.stderr
    assert log.splitlines()[0] == "working" and log.splitlines()[1].startswith(line)
    assert "Traceback" not in log


def test_a_bug_keeps_its_traceback_in_the_log_only(tmp_path):
    result, log = run_script(tmp_path, "{}['missing']")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "Error: unexpected KeyError: 'missing' (a bug; the traceback is in "
    )
    assert "Traceback (most recent call last)" in log and "KeyError: 'missing'" in log


def test_success_says_nothing_on_the_screen(tmp_path):
    result, log = run_script(tmp_path, "")
    assert result.returncode == 0 and result.stderr == "" and log == "working\n"


@pytest.mark.parametrize(
    "code, says",
    [
        (errno.ENOSPC, "no space left on the device at results/runs/x/model.keras; make room"),
        (errno.EDQUOT, "the disk quota is exceeded at results/runs/x/model.keras; make room"),
        (
            errno.EROFS,
            "the file system is read-only at results/runs/x/model.keras; make it writable",
        ),
        (errno.EACCES, "permission denied at results/runs/x/model.keras; make it writable"),
    ],
)
def test_a_full_or_closed_disk_is_an_environment_mistake(code, says):
    error = OSError(code, "os message", "results/runs/x/model.keras")
    assert user_message(error).startswith(says)


def test_other_errors_are_not_user_mistakes():
    assert user_message(ImageError("conv.image: 'x' ...")) == "conv.image: 'x' ..."
    assert user_message(OSError(errno.EIO, "i/o")) is None
    assert user_message(KeyError("val_accuracy")) is None


START_UP = [
    "2026-12-04 I0000 cpu_feature_guard.cc:210] This TensorFlow binary is optimized to use",
    "I0000 port.cc:153] oneDNN custom operations are on. You may see slightly different",
    "W0000 a warning of the job's own",
]


def test_start_up_noise_stays_out_and_the_job_s_own_lines_stay(capfd):
    with start_up_noise_kept_out():
        os.write(2, "".join(f"{line}\n" for line in START_UP).encode())
    assert capfd.readouterr().err.splitlines() == START_UP[2:]
