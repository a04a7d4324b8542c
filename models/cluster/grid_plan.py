"""What a race grid is made of, and the checks that refuse an impossible one before anything starts.

A grid is the seeds × sizes of a repeated race or a size curve, cut into cells: one cell is one
whole race (its models one after another, in fair mode) on one worker, so the comparison
inside a cell is as fair as a race on one machine. Nothing here imports Dask, and the window imports
this module at start-up, so what needs scikit-learn or SciPy loads inside the functions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from modelrace.models.data.dataset import Dataset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.system.errors import ConfigError, words
from modelrace.models.trainers.libraries import uses_keras

#: How often a cell sends its live steps to the client (a few updates a second; one reaches the window within 1 s).
BATCH_SECONDS = 0.25
#: Starts of one cell before it is given up: the first, and two retries after its worker died.
MAX_STARTS = 3


@dataclass(frozen=True)
class GridCell:
    """One race of a grid: a seed, and a training-set size (None: the settings' own rows)."""

    seed: int
    size: int | None = None

    @property
    def key(self) -> str:
        """A stable name, used in result files, event messages and Dask task keys."""
        return f"seed{self.seed}" if self.size is None else f"seed{self.seed}-size{self.size}"

    def describe(self) -> str:
        """The cell in words, for progress lines and messages."""
        return f"seed {self.seed}" if self.size is None else f"seed {self.seed}, size {self.size:,}"


@dataclass(frozen=True)
class GridOptions:
    """Where a grid's cells run: ``workers`` local processes, or the cluster behind ``scheduler``.

    ``threads`` per cell (None: the cores divided between the workers); ``tls_*`` are the files of
    Dask's TLS security for a ``tls://`` scheduler; ``connect_timeout`` bounds reaching it (seconds).
    """

    workers: int | None = None
    threads: int | None = None
    scheduler: str | None = None
    tls_ca_file: Path | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    connect_timeout: float = 5.0

    @property
    def local(self) -> bool:
        """True for the embedded LocalCluster that modelrace starts and stops itself."""
        return self.scheduler is None


def where_words(where: dict) -> str:
    """Where a grid ran, from its ``cluster`` block: "2 local worker(s)" or "3 worker(s) of tcp://…"."""
    if where.get("kind") == "local":
        return f"{where.get('workers')} local worker(s)"
    return f"{where.get('workers')} worker(s) of {where.get('address')}"


def cell_rows(settings: RaceSettings, cell: GridCell) -> int | None:
    """The rows one cell samples: its size's (training rows plus validation and test), else the settings' own."""
    from modelrace.models.race.sizes import rows_for_training_size  # the judging libraries load with it

    return settings.rows if cell.size is None else rows_for_training_size(cell.size, settings)


def plan_cells(settings: RaceSettings) -> list[GridCell]:
    """Every cell of the grid ``settings`` describe: each seed at each size, largest sizes first.

    Largest first: the longest cells start while every worker is free, so the last cells to finish
    are short ones and the workers stay busy to the end.
    """
    base = settings.resolved_seed()
    seeds = [base + i for i in range(settings.repeats)]
    sizes: list[int | None] = [*sorted(settings.sizes, reverse=True)] or [None]
    return [GridCell(seed, size) for size in sizes for seed in seeds]


def cell_settings(settings: RaceSettings, cell: GridCell, threads: int) -> RaceSettings:
    """The settings of one cell: one seed, one size's rows, fair mode, ``threads`` cores."""
    return dataclasses.replace(settings, seed=cell.seed, rows=cell_rows(settings, cell), sizes=(), repeats=1,
                               mode="fair", cores=threads)


def default_threads(cores: int, workers: int) -> int:
    """Threads per cell when none are asked for: the cores divided between the workers (at least 1)."""
    return max(1, cores // max(1, workers))


def check_grid(dataset: Dataset, settings: RaceSettings, options: GridOptions, cores: int) -> int:
    """Refuse an impossible grid with one clear line (ConfigError/DataError); return the threads per cell.

    ``cores`` are this machine's; a remote cluster's are checked once it is reached.
    """
    if options.workers is not None and options.workers < 1:
        raise ConfigError(f"{words('workers')} {options.workers}: use at least 1 worker process")
    if options.scheduler is not None and options.workers is not None:
        raise ConfigError("--workers starts workers on this machine and --scheduler uses a cluster's own; use one of them")
    if settings.resolved_mode() != "fair":
        raise ConfigError("a race grid races each cell in fair mode (one model at a time, on one worker); "
                          f"{words('leave-mode-out')}")
    if settings.cores is not None:
        raise ConfigError("--cores sets one race's threads; on workers use --threads-per-race")
    if settings.device != "cpu":
        raise ConfigError(f"a race grid trains on the workers' CPUs; {words('device-cpu')}")
    if settings.sizes:
        from modelrace.models.race.sizes import check_sizes

        check_sizes(dataset, settings)
    if options.threads is not None and options.threads < 1:
        raise ConfigError(f"{words('threads-per-race')} {options.threads}: use at least 1 thread")
    if not options.local:
        return options.threads or 0  # 0: decided from the cluster's cores once it is reached
    workers = options.workers or 1
    threads = options.threads or default_threads(cores, workers)
    if workers * threads > cores:
        most = max(1, cores // workers)
        raise ConfigError(f"{words('workers')} {workers} × {words('threads-per-race')} {threads} needs {workers * threads} "
                          "cores, but this "
                          f"machine has {cores}; use at most {most} thread{'s' if most > 1 else ''} per race"
                          + (f" or at most {cores} workers" if workers > cores else ""))
    return threads


def grid_fingerprint(settings: RaceSettings, dataset: Dataset, keras_backend: str | None) -> dict:
    """What makes two grids the same grid: the data, the preset's every value, models, seeds, sizes, target, backend.

    Where the cells ran (workers, threads, hosts) is not part of it: ``--resume`` may finish a grid
    elsewhere.
    """
    preset = json.dumps(dataclasses.asdict(settings.preset), sort_keys=True, default=str)
    return {
        "dataset_sha256": dataset.sha256,
        "preset": settings.preset.name,
        "preset_sha256": hashlib.sha256(preset.encode()).hexdigest(),
        "models": list(settings.models),
        "seed": settings.resolved_seed(),
        "repeats": settings.repeats,
        "sizes": list(settings.sizes),
        "rows": settings.rows,
        "target": settings.target,
        "keras_backend": keras_backend if uses_keras(settings.models) else None,
    }
