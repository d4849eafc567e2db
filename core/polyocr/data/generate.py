"""``polyocr generate``: synthetic pages → HDF5 shards, on a local process pool or a Ray cluster.

Reproducible by construction: page ``i`` of language ``L`` in split ``S`` is composed from
``SeedSequence([seed, crc32(L), crc32(S), i])``, so a page never depends on the number of workers, on
the other languages asked for, on shard order or on interruptions; shard ``k`` holds pages
``[k·shard_size, (k+1)·shard_size)`` and the writer is byte-deterministic. Hence: same seed and config,
same bytes, whatever ``--workers`` or ``--engine``.

Resumable: a shard appears only complete (written under a temporary name, then renamed). A rerun
skips complete shards, deletes temporary leftovers and makes the rest. Ctrl-C (or SIGTERM) stops the
workers and removes their temporary files; ``kill -9`` leaves only temporary files (workers die with
their parent), which the next run removes.

Everything that can be wrong with the inputs (config, language codes, fonts, a directory made from
other inputs) is reported before any page is drawn.
"""

from __future__ import annotations

import ctypes
import gc
import math
import multiprocessing as mp
import os
import queue as queue_module
import signal
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from polyocr.data import schema
from polyocr.data.manifest import Manifest, language_record
from polyocr.data.shards import encode_page, file_sha256, is_tmp, write_shard
from polyocr.errors import PolyocrError

DEFAULT_SHARD_SIZE = 1000
"""Pages per shard: ~0.2–0.4 GB of JPEG at 1024 px, and enough shards to keep a cluster busy."""
ENGINES = ("local", "ray")


def stable_int(text: str) -> int:
    """A process-independent integer for a name (Python's ``hash`` of a str changes every run)."""
    return zlib.crc32(text.encode("utf-8"))


def page_seed(seed: int, lang: str, split: str, index: int) -> np.random.SeedSequence:
    """The seed of page ``index`` of ``lang``/``split``: a function of those four values only."""
    return np.random.SeedSequence([seed, stable_int(lang), stable_int(split), index])


@dataclass(frozen=True)
class ShardTask:
    """One shard to make: pages ``[start, stop)`` of a language and split, written to ``path``."""

    lang: str
    split: str
    index: int
    start: int
    stop: int
    path: Path

    @property
    def pages(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True)
class ShardDone:
    task: ShardTask
    sha256: str
    size: int


@dataclass
class GenerateResult:
    """What a run did."""

    out: Path
    pages_written: int
    shards_written: int
    shards_skipped: int
    seconds: float

    def summary(self) -> str:
        rate = self.pages_written / self.seconds if self.seconds > 0 else 0.0
        skipped = f" ({self.shards_skipped} complete shards kept)" if self.shards_skipped else ""
        return (f"wrote {self.pages_written} pages in {self.shards_written} shards to {self.out}{skipped} "
                f"in {self.seconds:.1f} s ({rate:.2f} pages/s)")


# --- the composer -----------------------------------------------------------------------------------
def build_composer(langs: Sequence[str], config: Any, languages: Any = None):  # noqa: ANN201
    """A ``PageComposer`` for ``langs``; missing fonts or bad layout names become readable errors."""
    from polyocr.lang.registry import load_languages
    from polyocr.synth.composer import PageComposer

    languages = languages or load_languages()
    try:
        composer = PageComposer(languages, list(langs), config)
    except PolyocrError:
        raise
    except ValueError as exc:
        raise PolyocrError(str(exc)) from None
    # The composer's fonts and text indexes and numba's compiled kernels are ~150k long-lived objects
    # that each full garbage collection would walk again (≈ 4 ms a page on average, in 150 ms pauses).
    # They live as long as the process that composes pages, so they are moved out of the collector's
    # reach once; what pages allocate afterwards is collected as usual.
    gc.collect()
    gc.freeze()
    return composer


def make_shard(composer: Any, task: ShardTask, seed: int, on_page: Callable[[], None] | None = None) -> ShardDone:
    """Compose the task's pages (keeping only their JPEG bytes and JSON) and write the shard."""
    pages = []
    for i in range(task.start, task.stop):
        pages.append(encode_page(composer.compose(task.lang, page_seed(seed, task.lang, task.split, i))))
        if on_page is not None:
            on_page()
    write_shard(task.path, pages, range(task.start, task.stop))
    return ShardDone(task, file_sha256(task.path), task.path.stat().st_size)


# --- planning ---------------------------------------------------------------------------------------
def shard_is_complete(path: Path, start: int, stop: int) -> bool:
    """A readable shard holding exactly the pages ``[start, stop)``."""
    import h5py

    try:
        with h5py.File(path, "r") as f:
            if any(k not in f for k in schema.FIELDS):
                return False
            lengths = {f[k].shape[0] for k in schema.FIELDS}
            return lengths == {stop - start} and f[schema.SAMPLE_IDS][:].tolist() == list(range(start, stop))
    except (OSError, KeyError, ValueError):
        return False


def remove_tmp_files(folder: Path) -> int:
    """Delete temporary files left by interrupted writers in ``folder``; returns how many."""
    if not folder.is_dir():
        return 0
    removed = 0
    for p in folder.iterdir():
        if is_tmp(p):
            p.unlink(missing_ok=True)
            removed += 1
    return removed


def plan(out: Path, lang: str, split: str, pages: int, shard_size: int) -> tuple[list[ShardTask], list[ShardTask]]:
    """The shards of one language and split: (to make, already complete). Cleans temporary leftovers."""
    folder = out / lang / split
    remove_tmp_files(folder)
    count = math.ceil(pages / shard_size)
    if folder.is_dir():
        extra = sorted((p.name for p in folder.glob(f"{split}_*.h5")
                        if (m := schema.SHARD_NAME.match(p.name)) and int(m["index"]) >= count),
                       key=schema.shard_sort_key)
        if extra:
            raise PolyocrError(f"{folder} holds more shards than {pages} pages need ({', '.join(extra[:3])}"
                               f"{' …' if len(extra) > 3 else ''}); ask for more --pages or delete them")
    todo, done = [], []
    for k in range(count):
        start, stop = k * shard_size, min(pages, (k + 1) * shard_size)
        task = ShardTask(lang, split, k, start, stop, folder / schema.shard_name(split, k))
        (done if task.path.exists() and shard_is_complete(task.path, start, stop) else todo).append(task)
    return todo, done


# --- local engine -----------------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the generating process dies (even by kill -9)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _init_worker(langs: list[str], config: Any, progress: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    _die_with_parent()
    _WORKER["composer"] = build_composer(langs, config)
    _WORKER["progress"] = progress


def _worker_make_shard(task: ShardTask, seed: int) -> ShardDone:
    progress = _WORKER["progress"]
    return make_shard(_WORKER["composer"], task, seed, on_page=lambda: progress.put(1))


def _stop_pool(executor: ProcessPoolExecutor) -> None:
    """Kill the workers now (an interrupted shard is worthless; its temp file is removed after)."""
    terminate = getattr(executor, "terminate_workers", None)  # Python ≥ 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.join(timeout=10)


def _drain(progress: Any) -> int:
    n = 0
    while True:
        try:
            n += progress.get_nowait()
        except (queue_module.Empty, OSError, ValueError, EOFError):
            return n


def run_local(tasks: list[ShardTask], langs: list[str], config: Any, seed: int, workers: int, composer: Any,
              on_pages: Callable[[int], None]) -> Iterator[ShardDone]:
    """Make ``tasks`` in this process (one worker) or on a pool of spawned processes, one task per shard."""
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield make_shard(composer, task, seed, on_page=lambda: on_pages(1))
        return
    ctx = mp.get_context("spawn")
    progress = ctx.Queue()
    executor = ProcessPoolExecutor(min(workers, len(tasks)), mp_context=ctx, initializer=_init_worker,
                                   initargs=(langs, config, progress))
    try:
        pending = {executor.submit(_worker_make_shard, task, seed) for task in tasks}
        while pending:
            finished, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            on_pages(_drain(progress))
            for future in finished:
                yield future.result()
        on_pages(_drain(progress))
    except BrokenProcessPool:
        _stop_pool(executor)
        raise PolyocrError("a worker process died (out of memory?); run the same command again to resume") from None
    except BaseException:
        _stop_pool(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        progress.close()


# --- Ray engine -------------------------------------------------------------------------------------
def _ray_make_shard(task: ShardTask, langs: list[str], config: Any, seed: int) -> ShardDone:
    """One Ray task: a composer is built once per Ray worker process and kept for its later tasks."""
    key = (tuple(langs), config.model_dump_json() if hasattr(config, "model_dump_json") else repr(config))
    if _WORKER.get("ray_key") != key:
        _WORKER["composer"] = build_composer(langs, config)
        _WORKER["ray_key"] = key
    return make_shard(_WORKER["composer"], task, seed)


def import_ray():  # noqa: ANN201
    try:
        import ray
    except ImportError:
        raise PolyocrError("the Ray engine needs Ray: pip install 'polyocr[ray]'") from None
    return ray


def run_ray(tasks: list[ShardTask], langs: list[str], config: Any, seed: int, workers: int,
            address: str | None, on_pages: Callable[[int], None]) -> Iterator[ShardDone]:
    """One Ray task per shard against ``address`` (or ``$RAY_ADDRESS``, or a local Ray started here).

    Tasks write their shards straight into the output directory, which must be the same path on every
    node (a shared filesystem) when the cluster has more than one machine.
    """
    ray = import_ray()
    started = False
    if not ray.is_initialized():
        address = address or os.environ.get("RAY_ADDRESS") or None
        options: dict[str, Any] = {"address": address, "include_dashboard": False, "log_to_driver": True}
        if address is None:
            options["num_cpus"] = max(1, workers)
        try:
            ray.init(**options)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise PolyocrError(f"cannot start or reach Ray at {address or 'a new local instance'}: {exc}") from None
        started = True
    remote = ray.remote(num_cpus=1, max_retries=2)(_ray_make_shard)
    pending = [remote.remote(task, langs, config, seed) for task in tasks]
    try:
        while pending:
            ready, pending = ray.wait(pending, num_returns=1, timeout=0.5)
            for ref in ready:
                done = ray.get(ref)
                on_pages(done.task.pages)
                yield done
    except BaseException:
        for ref in pending:
            ray.cancel(ref, force=True)
        raise
    finally:
        if started:
            ray.shutdown()


# --- the orchestrator -------------------------------------------------------------------------------
class _SigtermAsInterrupt:
    """While generating, SIGTERM cleans up like Ctrl-C (main thread only; elsewhere it is left alone)."""

    def __enter__(self) -> None:
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._raise)

    @staticmethod
    def _raise(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)


def _progress_bar(total: int, enabled: bool, desc: str):  # noqa: ANN202
    from tqdm import tqdm

    try:
        width = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        width = 0
    size = {"dynamic_ncols": True} if width > 0 else {"ncols": 100, "nrows": 24}  # a pty without a size says 0×0
    return tqdm(total=total, unit="page", desc=desc, file=sys.stderr, smoothing=0.1,
                disable=not (enabled and sys.stderr.isatty()), **size)


def generate(out: str | Path, langs: Sequence[str], pages: int, split: str = "train", seed: int = 0,
             workers: int = 1, engine: str = "local", config: Any = None, shard_size: int = DEFAULT_SHARD_SIZE,
             progress: bool = True, ray_address: str | None = None) -> GenerateResult:
    """Generate ``pages`` pages of each language in ``langs`` into ``{out}/{lang}/{split}/{split}_NNN.h5``.

    ``config`` is a YAML path, a dict, a ``PageConfig`` or None (defaults). Already complete shards are
    kept, so running the same call again resumes an interrupted run.

    >>> generate("data/v2", ["ja", "ko"], pages=200, seed=1, workers=8)   # doctest: +SKIP
    """
    from polyocr import __version__
    from polyocr.lang.registry import load_languages
    from polyocr.synth.page_config import PageConfig, load_page_config

    started = time.perf_counter()
    out = Path(out)
    langs = list(dict.fromkeys(c.strip() for c in langs if c.strip()))
    if not langs:
        raise PolyocrError("no languages given (e.g. --langs en,ja)")
    if split not in schema.SPLITS:
        raise PolyocrError(f"unknown split {split!r}; choose one of {', '.join(schema.SPLITS)}")
    for name, value, low in (("pages", pages, 1), ("shard size", shard_size, 1), ("workers", workers, 1),
                             ("seed", seed, 0)):
        if not isinstance(value, int) or value < low:
            raise PolyocrError(f"{name} must be an integer ≥ {low}, not {value!r}")
    if engine not in ENGINES:
        raise PolyocrError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    page_config = config if isinstance(config, PageConfig) else load_page_config(config)
    config_record = page_config.model_dump(mode="json")
    if config_record.get("page_size") is None:
        # unset: recorded as before the option existed, so manifests of earlier runs still match (resume)
        del config_record["page_size"]
    languages = load_languages()
    packs = [languages.get(code) for code in langs]
    if engine == "ray":
        import_ray()
    composer = build_composer(langs, page_config, languages)
    records = {pack.code: language_record(pack) for pack in packs}
    manifest = Manifest.load(out)
    manifest.check_compatible(seed, config_record, records)

    plans = {lang: plan(out, lang, split, pages, shard_size) for lang in langs}
    tasks = [t for todo, _ in plans.values() for t in todo]
    recorded = {lang: manifest.shards(lang, split) for lang in langs}
    finished: dict[str, list[dict]] = {lang: [] for lang in langs}
    for lang, (_, done) in plans.items():
        for task in done:
            old = recorded[lang].get(task.path.name)
            size = task.path.stat().st_size
            sha = old["sha256"] if old and old.get("bytes") == size and old.get("pages") == task.pages else file_sha256(task.path)
            finished[lang].append(_shard_entry(task, sha, size))

    def save_manifest() -> None:
        with Manifest.editing(out) as current:  # merged with what other runs wrote meanwhile
            for lang in langs:
                current.update(version=__version__, seed=seed, config=config_record, languages=records, lang=lang,
                               split=split, pages=pages, shard_size=shard_size, shards=finished[lang])

    save_manifest()  # seed and config are on disk before any shard, so a killed run still guards its directory
    written = 0
    bar = _progress_bar(sum(t.pages for t in tasks), progress, f"{','.join(langs)} {split}")
    try:
        if engine == "ray":
            results = run_ray(tasks, langs, page_config, seed, workers, ray_address, bar.update)
        else:
            results = run_local(tasks, langs, page_config, seed, workers, composer, bar.update)
        with _SigtermAsInterrupt(), closing(results):  # workers are stopped before temp files are removed
            for done in results:
                finished[done.task.lang].append(_shard_entry(done.task, done.sha256, done.size))
                written += done.task.pages
    finally:
        bar.close()
        for folder in {t.path.parent for t in tasks}:
            remove_tmp_files(folder)
        save_manifest()
    return GenerateResult(out, written, len(tasks), sum(len(d) for _, d in plans.values()),
                          time.perf_counter() - started)


def _shard_entry(task: ShardTask, sha256: str, size: int) -> dict:
    return {"file": task.path.name, "index": task.index, "pages": task.pages, "bytes": size, "sha256": sha256}
