"""Property-based: whatever options a user types, the CLI succeeds or fails cleanly, never with a traceback."""

import math

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from animate.cli import main

def sometimes_valid(valid, *invalid):
    """Mostly values the option accepts (so real runs are among the examples), sometimes anything."""
    return st.one_of(valid, valid, valid, *invalid, ANYTHING)


ANYTHING = st.one_of(
    st.integers(-10, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "abc", "1e400", "-0", "0x10", "3.5", "１２", "nan", "-inf"]),
    st.text(max_size=6),
)
SIZES = st.sampled_from(["320x240", "240x200", "320X240", "320×240", " 320 x 240 "])
BAD_SIZES = st.sampled_from(["64x64", "321x240", "0x0", "64", "x", "100000x240", "-320x240", "abc"])
OUTPUTS = st.sampled_from(["out.gif", "out.gif", "out.mp4", "out.GIF", "out.avi", "out", "", ".",
                           "no/such/dir/out.gif"])
OPTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("--every"), sometimes_valid(st.integers(1, 30).map(str))),
        st.tuples(st.just("--frames"), sometimes_valid(st.integers(2, 40).map(str))),
        st.tuples(st.just("--lr"), sometimes_valid(st.floats(1e-4, 0.5).map(repr))),
        st.tuples(st.just("--seed"), sometimes_valid(st.integers(0, 10**6).map(str),
                                                     st.integers(-(2**70), 2**70).map(str))),
        st.tuples(st.just("--fps"), sometimes_valid(st.floats(1, 30).map(repr))),
        st.tuples(st.just("--size"), sometimes_valid(SIZES, BAD_SIZES)),
        st.tuples(st.just("--dpi"), sometimes_valid(st.integers(20, 100).map(str))),
    ),
    max_size=3,
    unique_by=lambda option: option[0],
)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    scene=st.sampled_from(["logistic", "linear", "mlp", "nope", "", "LOGISTIC"]),
    steps=st.one_of(st.integers(1, 25), st.integers(1, 25), st.integers(-3, 0)).map(str),
    output=OUTPUTS,
    options=OPTIONS,
)
def test_any_options_give_success_or_one_clean_error(tmp_path_factory, scene, steps, output, options):
    folder = tmp_path_factory.mktemp("run")
    args = ["scene", scene, "--steps", steps, "-o", str(folder / output) if output else "", "-q"]
    for flag, value in options:
        args += [flag, value]
    result = CliRunner().invoke(main, args)
    event("wrote a file" if result.exit_code == 0 else f"refused (exit {result.exit_code})")
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert result.exception is None
        written = sorted(p for p in folder.rglob("*") if p.is_file())
        assert [p.suffix.lower() for p in written] in ([".gif", ".json"], [".json", ".mp4"])  # + provenance
        assert all(p.stat().st_size > 0 for p in written)
    else:
        assert isinstance(result.exception, SystemExit), repr(result.exception)  # a clean exit, not a crash
        assert result.exit_code in (1, 2)
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, result.output
        assert not [p for p in folder.rglob("*") if p.is_file()]  # nothing half-written


def test_the_property_test_reaches_both_outcomes():
    """The strategies above must produce real runs as well as refusals (else the test proves little)."""
    runner = CliRunner()
    ok = runner.invoke(main, ["scene", "logistic", "--steps", "5", "--size", "320x240", "-q", "-o", "/tmp/p.gif"])
    bad = runner.invoke(main, ["scene", "logistic", "--steps", "5", "--lr", repr(math.nan), "-q", "-o", "/tmp/p.gif"])
    assert ok.exit_code == 0 and bad.exit_code == 2
