"""The one function that runs a render job: record (train, or take the trace), render, write.

    >>> summary = run(scene_job("logistic", "logistic.gif"))     # doctest: +SKIP
    >>> print(summary.line())                                      # doctest: +SKIP

Nothing here checks input: :mod:`animate.job` has checked all of it before training. What is
translated into a user-facing error is only what touches the user's files (writers.atomic.file_errors);
a bug anywhere keeps its own exception and traceback.
"""

from __future__ import annotations

import dataclasses
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from .budget import fit_budget
from .comparison import Comparison
from .declare import settings_json
from .describe import alt_text, comparison_alt_text, provenance, result_text
from .drawing import check_drawable, open_frames
from .frames import FrameSink
from .job import RenderJob, RunComparison
from .narration import timeline_for
from .story import Timeline
from .options import RenderOptions
from .outputs import Notes, Outputs, Written, snippet_html, webm_type
from .themes import theme_named
from .trace import Trace
from .writers import ContactSheetWriter, PosterWriter, writer_for
from .writers.atomic import atomic_output, file_errors, staged_files


@dataclass(frozen=True)
class Summary:
    """What a job produced: the animation written, the traces drawn, and whether it trained them."""

    written: Written
    traces: tuple
    trained: bool
    fitted: Optional[object] = None  # what a byte budget chose (animate.budget.Fitted), when one was given

    @property
    def trace(self) -> Trace:
        """The (first) trace drawn."""
        return self.traces[0]

    def _repr_html_(self) -> str:
        """In a notebook: the animation, with the summary line under it."""
        return f"{self.written._repr_html_()}<pre>{html.escape(self.line())}</pre>"

    def line(self) -> str:
        """``logistic.gif: 26 frames, 4.8 s, 81,234 bytes; final loss 0.00857 at iteration 25 ...``."""
        trained_one = self.trained and len(self.traces) == 1
        line = self.written.line(result_text(self.trace) if trained_one else "")
        return f"{line}; {self.fitted.words()}" if self.fitted is not None else line


def run(job: RenderJob, callbacks_for: Optional[Callable[[str], list]] = None,
        on_frame: Optional[Callable[[int, int], None]] = None) -> Summary:
    """Run ``job``: train (``callbacks_for(label)`` gives each run's training callbacks), save the trace
    if asked, then draw and write every output in one pass over the frames (``on_frame(i, count)``)."""
    traces = job.source.record(callbacks_for or (lambda label: []))
    if job.trace_path is not None:
        with atomic_output(job.trace_path) as temporary, file_errors(job.trace_path):
            traces[0].save(temporary)
    drawable = job.source.drawable(traces)
    if job.source.trains:  # a trace given was checked with the job; a trained one shows only now what it has
        check_drawable(drawable, job.options)
    runs = None
    if isinstance(job.source, RunComparison):
        runs = [{"label": label, "settings": dataclasses.asdict(trace.meta.settings)}
                for label, trace in zip(drawable.labels, traces)]
    words = comparison_alt_text(drawable) if isinstance(drawable, Comparison) else alt_text(drawable)
    spec = getattr(job.source, "spec", None)
    record = provenance(traces[0], settings_json(job.options), job.command(), scene=spec, runs=runs)
    timeline = timeline_for(drawable, job.options)
    options, fitted = job.options, None
    writers = {path: writer_for(path) for path in job.outputs.animations()}
    encodings = {str(path): cls.describe(options) for path, cls in writers.items() if hasattr(cls, "describe")}
    if encodings:
        record["encoding"] = encodings  # which encoder, where the format leaves a choice (WebM: VP9 or AV1)
    record["story"] = story_record(timeline)
    notes = Notes(words, record, {path: job.command(path) for path in job.outputs.animations()})
    if options.max_bytes is not None:  # trial encodes until the animation fits, before the real one
        fitted = fit_budget(drawable, job.outputs.animation, options, timeline, notes)
        options, timeline = fitted.options, fitted.timeline
        record["budget"] = fitted.record()
        record["story"] = story_record(timeline)
    written = write_animation(drawable, job.outputs, options, notes, on_frame, timeline)
    return Summary(written=written, traces=tuple(traces), trained=job.source.trains, fitted=fitted)


def story_record(timeline: Timeline) -> dict:
    """For the provenance: the motion used (and so whether in-between frames were drawn) and the captions."""
    captions = [{"frame": index, "caption": moment.caption} for index, moment in enumerate(timeline.moments)
                if moment.caption and (index == 0 or timeline.moments[index - 1].caption != moment.caption)]
    return {"motion": timeline.motion, "frames": len(timeline), "in_between_frames": timeline.in_betweens,
            "captions": captions}


def chapters_of(timeline: Timeline, options: RenderOptions) -> list:
    """``(start seconds, title)`` for a video's chapters: the set-up, each caption as it first shows, and the
    result; times count the first frame's hold."""
    chapters = []
    for index, moment in enumerate(timeline.moments):
        if moment.caption and (index == 0 or timeline.moments[index - 1].caption != moment.caption):
            start = 0.0 if index == 0 else options.hold_first + index / options.fps
            chapters.append((start, moment.caption))
    if chapters and chapters[0][0] > 0:
        chapters.insert(0, (0.0, "before training"))
    return chapters


def write_animation(drawable, outputs: Outputs, options: RenderOptions, notes: Notes = Notes(),
                    on_frame: Optional[Callable[[int, int], None]] = None,
                    timeline: Optional[Timeline] = None) -> Written:
    """Draw ``drawable`` (a trace or a comparison) once, frame by frame as ``timeline`` lays them out (by
    default, one per snapshot), and feed every file of ``outputs``; every file appears only when all are
    complete."""
    # A page is handed the captured picture; every other writer takes frames.
    by_path = {path: writer_for(path) for path in outputs.animations()}
    pages = [(path, cls) for path, cls in by_path.items() if not getattr(cls, "takes_frames", True)]
    animations = [path for path, cls in by_path.items() if getattr(cls, "takes_frames", True)]
    classes = [by_path[path] for path in animations]
    frames_wanted = bool(animations or outputs.poster or outputs.sheet)
    with (open_frames(drawable, options, timeline) if frames_wanted else _no_frames()) as source, \
            staged_files(outputs.files()) as temporary:
        page_writers = []
        for path, writer_class in pages:
            with file_errors(path):
                writer = writer_class(temporary[path], options, comment=notes.comment(path))
                writer.write_views(page_views(drawable, options), step_name_of(drawable), title_of(drawable, options),
                                   notes.alt_text)
            page_writers.append((path, writer))
        count = len(source)
        wanted = min(max((writer_class.samples_wanted for writer_class in classes), default=0), count)
        sample = list(source.frames(np.linspace(0, count - 1, wanted).round().astype(int))) if wanted else []
        hints = {"sample": sample, "colours": source.colours, "count": count}
        sinks: list[tuple[Path, FrameSink]] = []  # each with the user's file it becomes
        try:
            for path, writer_class in zip(animations, classes):
                extra = {}
                if timeline is not None and getattr(writer_class, "takes_chapters", False):
                    extra["chapters"] = chapters_of(timeline, options)
                with file_errors(path):
                    sinks.append((path, writer_class(temporary[path], options, comment=notes.comment(path),
                                                     **hints, **extra)))
            if outputs.poster:
                sinks.append((outputs.poster, PosterWriter(temporary[outputs.poster])))
            if outputs.sheet:
                sinks.append((outputs.sheet, ContactSheetWriter(temporary[outputs.sheet], count)))
            for index, frame in enumerate(source.frames(range(count))):
                for path, sink in sinks:
                    with file_errors(path):
                        sink.write(frame)
                if on_frame is not None:
                    on_frame(index, count)
            for path, sink in sinks:
                with file_errors(path):
                    sink.close()
        except BaseException:
            for _, sink in sinks:
                sink.abort()
            raise
        texts = {outputs.alt_text: notes.alt_text + "\n",
                 outputs.snippet: snippet_html(outputs, notes.alt_text, options.size,
                                               webm_type(options.webm_codec, options.chroma)) if outputs.snippet else "",
                 outputs.provenance: json.dumps(notes.provenance, indent=2, ensure_ascii=False) + "\n"}
        for path, text in texts.items():
            if path is not None:
                with file_errors(path):
                    temporary[path].write_text(text, encoding="utf-8")
    extras = tuple(path for path in outputs.files() if path != outputs.animation)
    first = dict(page_writers).get(outputs.animation) or next(sink for path, sink in sinks if path == outputs.animation)
    frames = first.frames if outputs.animation in dict(page_writers) else count
    return Written(path=outputs.animation, frames=frames, seconds=first.duration,
                   bytes=outputs.animation.stat().st_size, extras=extras, encoding=getattr(first, "description", ""))


class _no_frames:
    """The frame source when only a page is written: no frame is drawn."""

    colours = np.zeros((0, 3), dtype=np.uint8)

    def __len__(self) -> int:
        return 0

    def frames(self, indices):
        return iter(())

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


def page_views(drawable, options: RenderOptions) -> list:
    """The explorable page's views: a run alone; for a comparison, every run side by side, then each run."""
    from .drawing.capture import capture

    if isinstance(drawable, Comparison):
        colours = theme_named(options.theme).runs
        runs = [(label, capture(trace, options) | {"colour": colours[number % len(colours)]})
                for number, (label, trace) in enumerate(zip(drawable.labels, drawable.traces))]
        return [("all runs", capture(drawable, options))] + runs
    return [("run", capture(drawable, options))]


def first_trace(drawable) -> Trace:
    """The trace itself, or a comparison's first run (the runs of one scene share its words)."""
    return drawable.traces[0] if isinstance(drawable, Comparison) else drawable


def step_name_of(drawable) -> str:
    return first_trace(drawable).meta.step_name


def title_of(drawable, options: RenderOptions) -> str:
    if options.title is not None:
        return options.title
    return drawable.title if isinstance(drawable, Comparison) and drawable.title else first_trace(drawable).meta.title
