"""The README's promises: its Python example runs as written, and CI runs its test command."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def block_after(marker: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(re.escape(marker) + r"\s*```\w*\n(.*?)```", text, re.S)
    assert match, f"no code block after {marker} in README.md"
    return match.group(1)


@pytest.mark.slow
def test_the_readme_example_records_a_users_loop_and_writes_a_gif(tmp_path):
    code = block_after("<!-- readme-example -->")
    code += '\ntrace.save("sine.npz")\n'  # kept so the test can see what was recorded
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    from animate.trace import Trace
    steps = Trace.load(tmp_path / "sine.npz").steps
    assert list(steps) == list(range(0, 500, 10)) + [500]
    with Image.open(tmp_path / "sine.gif") as image:
        # 51 recorded states, each drawn at least once (story mode may add in-betweens where the curve jumps;
        # the GIF merges repeats of a held frame, never two different states).
        assert image.n_frames >= 51
        first = np.asarray(image.convert("RGB"))
        image.seek(image.n_frames - 1)
        last = np.asarray(image.convert("RGB"))
    assert first.shape == (480, 640, 3) and not np.array_equal(first, last)


def test_ci_runs_the_readme_test_command():
    command = block_after("<!-- test-command -->").strip()
    assert "pip install -c constraints.txt" in command and command.endswith("pytest -n 2")
    extracted = subprocess.run(["bash", ".ci/run", "--print"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert extracted == command
    assert "torch==2.13.0" in (ROOT / "constraints.txt").read_text()


@pytest.mark.slow
def test_the_readme_scene_file_runs_through_the_cli(tmp_path):
    from click.testing import CliRunner

    from animate.cli import main

    (tmp_path / "my_scene.py").write_text(block_after("<!-- scene-file-example -->"))
    result = CliRunner().invoke(main, ["scene", str(tmp_path / "my_scene.py"), "--steps", "200",
                                       "-o", str(tmp_path / "cubic.gif"), "-q"])
    assert result.exit_code == 0, result.output
    with Image.open(tmp_path / "cubic.gif") as image:
        assert image.n_frames > 50
