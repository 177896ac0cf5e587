"""--max-bytes: trial encodes down a ladder until the file fits; what it reached is said, or why it cannot."""

import json

import pytest
from click.testing import CliRunner
from PIL import Image

from animate.budget import ladder
from animate.cli import main


def test_the_ladder_gives_up_the_cheapest_things_first():
    gif = [rung.words for rung in ladder(".gif", smooth=True, several_states=True)]
    assert gif[:4] == ["as asked", "recorded states only", "128 colours", "64 colours"]
    assert gif.index("every other state, 64 colours") < gif.index("0.75× scale, 64 colours")
    video = [rung.words for rung in ladder(".webm", smooth=False, several_states=True)]
    assert video[:4] == ["as asked", "quality CRF +6", "quality CRF +12", "quality CRF +18"]
    assert [r.words for r in ladder(".webp", smooth=False, several_states=False)] == ["as asked", "0.75× scale", "0.5× scale"]


@pytest.mark.slow
@pytest.mark.parametrize("budget, suffix", [(250_000, ".gif"), (40_000, ".webm")])
def test_the_file_fits_and_the_summary_says_how(tmp_path, budget, suffix):
    out = tmp_path / f"run{suffix}"
    result = CliRunner().invoke(main, ["scene", "logistic", "-o", str(out), "--max-bytes", str(budget)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size <= budget
    line = result.output.strip().splitlines()[-1]
    assert f"within {budget:,} bytes: " in line and " dB (" in line
    record = json.loads((tmp_path / "run.json").read_text())["budget"]
    assert record["max_bytes"] == budget and record["psnr_db"] > 20 and record["trials"] >= 2
    if suffix == ".gif":
        with Image.open(out) as image:
            assert image.n_frames > 5  # still an animation


@pytest.mark.slow
def test_a_budget_that_cannot_be_met_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "run.gif"
    result = CliRunner().invoke(main, ["scene", "logistic", "-o", str(out), "--max-bytes", "2KB", "-q"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {str(out)!r} cannot be made to fit 2,000 bytes: the smallest it reaches is ")
    assert "(0.5× scale, 16 colours)" in result.output and len(result.output.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("given, message", [
    ("5x", "'5x' is not a size: use bytes or a unit, such as 500KB or 2MB"),
    ("10", "max bytes 10 is not valid: use 1000 to 10000000000"),
])
def test_bad_budgets_are_one_line(given, message):
    result = CliRunner().invoke(main, ["scene", "logistic", "-o", "x.gif", "--max-bytes", given])
    assert result.exit_code != 0 and message in result.output


def test_a_page_has_no_byte_budget():
    result = CliRunner().invoke(main, ["scene", "logistic", "-o", "x.html", "--max-bytes", "1MB"])
    assert result.exit_code == 1 and "--max-bytes fits an animation file" in result.output
