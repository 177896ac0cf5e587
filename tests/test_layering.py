"""Layering: drawing, the writers, traces and the whole render path work with torch made unimportable."""

import subprocess
import sys
import textwrap

import pytest


@pytest.mark.slow
def test_render_and_write_a_saved_trace_without_torch(tmp_path, logistic_trace):
    trace_path = tmp_path / "run.npz"
    logistic_trace.save(trace_path)
    script = textwrap.dedent(f"""
        import sys

        class NoTorch:
            def find_spec(self, name, path=None, target=None):
                if name == "torch" or name.startswith("torch."):
                    raise ImportError("torch is blocked in this test")

        sys.meta_path.insert(0, NoTorch())
        from animate.api import render
        from animate.drawing import Renderer
        from animate.options import RenderOptions
        from animate.trace import Trace
        from animate.writers import writer_for

        trace = Trace.load({str(trace_path)!r})
        options = RenderOptions(size=(320, 240), dpi=50)
        renderer = Renderer(trace, options)
        for suffix in (".gif", ".mp4"):
            writer = writer_for("out" + suffix)({str(tmp_path)!r} + "/out" + suffix, options.resolved())
            for index in range(len(renderer)):
                writer.write(renderer.frame(index))
            writer.close()
        written = render({str(trace_path)!r}, {str(tmp_path)!r} + "/api.gif", RenderOptions(size=(320, 240), dpi=50, motion="steps", captions=False))
        assert written.frames == len(renderer)
        assert "torch" not in sys.modules
        print("ok", len(renderer))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ok {len(logistic_trace)}"
    assert (tmp_path / "out.gif").stat().st_size > 0 and (tmp_path / "out.mp4").stat().st_size > 0
