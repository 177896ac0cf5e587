"""The installed package: scenes live at animate.scenes, and no top-level `scenes` module is installed."""

import subprocess
import sys

import pytest


@pytest.mark.slow
def test_scenes_are_installed_as_a_subpackage_only(tmp_path):
    code = (
        "import importlib.util, animate.scenes, animate.scene as s;"
        "print(importlib.util.find_spec('scenes'), s.scene_names())"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("None [") and "'logistic'" in result.stdout


def test_importing_animate_and_its_cli_is_light():
    code = ("import sys, animate; a = ('torch' in sys.modules, 'matplotlib' in sys.modules);"
            "import animate.cli; print(*a, 'torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "False", "False"]


@pytest.mark.slow
def test_the_public_render_function_stays_a_function():
    """The renderer package is animate.drawing, so importing it cannot shadow animate.render."""
    code = ("import animate, animate.drawing, animate.api;"
            "print(callable(animate.render), animate.render is animate.api.render, callable(animate.render))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "True", "True"], result.stderr


def test_setup_cfg_lists_every_package_of_the_library():
    """A non-editable install copies only the packages setup.cfg names: a folder left out would be missing."""
    import configparser
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    config = configparser.ConfigParser()
    config.read(root / "setup.cfg")
    listed = {name.strip() for name in config["options"]["packages"].split(",")}
    found = {".".join(init.parent.relative_to(root).parts) for init in (root / "animate").rglob("__init__.py")}
    assert found | {"animate.scenes"} == listed


def test_no_module_hides_a_public_name():
    """``animate.NAME`` must stay the public function or class even once every submodule is imported."""
    code = ("import importlib, pkgutil, animate;"
            "[importlib.import_module('animate.' + m.name) for m in pkgutil.iter_modules(animate.__path__)"
            " if not m.name.startswith('__')];"
            "import types; print([n for n in animate.__all__ if isinstance(getattr(animate, n), types.ModuleType)])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
