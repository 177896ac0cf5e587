"""RESULTS.md is written by several benchmarks: ``run.py`` writes the main part, and each other benchmark
keeps its table between its own markers (``<!-- NAME:start -->`` … ``<!-- NAME:end -->``), so that any of
them can be run again without losing the others' figures."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
MARKED = re.compile(r"<!-- ([\w-]+):start -->.*?<!-- \1:end -->", re.S)


def put_block(name: str, block: str) -> None:
    """Put ``block`` (which starts and ends with NAME's markers) into RESULTS.md, replacing NAME's old one."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    assert block.startswith(start) and block.endswith(end), f"the block must sit between {start} and {end}"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def write_main(text: str) -> None:
    """Write RESULTS.md's main part (``run.py``'s), keeping every marked block the other benchmarks wrote."""
    kept = [match.group(0) for match in MARKED.finditer(RESULTS.read_text(encoding="utf-8"))] if RESULTS.exists() else []
    RESULTS.write_text(text.rstrip() + "\n" + "".join("\n" + block + "\n" for block in kept), encoding="utf-8")
