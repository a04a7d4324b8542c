"""What a workshop kit is: its folders, its manifest (``kit.json``), the students' guide, and what to pack.

A kit is a folder::

    KIT/wheelhouse/   modelrace, any model plugin, and every dependency as wheels (pip download), pinned
                      to the versions installed on the teacher's machine
    KIT/data/         NAME.modelrace.npz for each dataset (see models.data.kit_file)
    KIT/presets/      the presets (*.toml)
    KIT/results/      finished races students can open on slow laptops
    KIT/STUDENTS.md   the commands a student types
    KIT/kit.json      what is in the kit, with checksums

``models.workshop.pack`` fills one (``models.workshop.wheels`` fetches its wheels) and
``models.workshop.check`` tests a student machine against it.
"""

from __future__ import annotations

import platform
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from modelrace.models.data.dataset import KIT_SUFFIX
from modelrace.models.system.errors import DataError
from modelrace.models.system.parsing import parse_json, read_text

MANIFEST = "kit.json"
WHEELHOUSE = "wheelhouse"
DATA = "data"
PRESETS = "presets"
RESULTS = "results"
STUDENTS = "STUDENTS.md"
KIT_VERSION = 1

Progress = Callable[[str], None]


@dataclass
class PackOptions:
    """What to put in a kit."""

    kit: Path
    datasets: list[str] = field(default_factory=list)  # cache names; empty: covtype if cached, else every cached one
    results: list[Path] = field(default_factory=list)
    presets: list[Path] = field(default_factory=list)  # extra preset files (the built-in ones always go in)
    platforms: list[str] = field(default_factory=list)  # extra pip platform tags, e.g. win_amd64
    python_versions: list[str] = field(default_factory=list)  # extra Python versions, e.g. 3.12
    extras: list[str] = field(default_factory=list)  # modelrace extras to include, e.g. jax
    find_links: list[Path] = field(default_factory=list)  # local wheel folders for pip
    no_index: bool = False  # only the find-links folders, no package index
    wheels: bool = True  # False: leave the wheelhouse as it is (data, presets and results only)


def students_guide(manifest: dict) -> str:
    """The STUDENTS.md of a kit: the few commands to install, import the data and open the app."""
    data = manifest["datasets"][0]["file"] if manifest.get("datasets") else f"{DATA}/covtype.modelrace.npz"
    extras = manifest.get("wheelhouse", {}).get("extras") or []
    package = f"modelrace[{','.join(extras)}]" if extras else "modelrace"
    # the registered models' own distributions beyond modelrace's (a plugin and its libraries), installed beside it
    models = [name for name in manifest.get("wheelhouse", {}).get("models") or []
              if isinstance(name, str) and re.fullmatch(r"[A-Za-z0-9._-]+", name)]
    posix = " ".join(f"'{name}'" for name in [package, *models])
    windows = " ".join(f'"{name}"' for name in [package, *models])
    results = manifest.get("results") or []
    targets = manifest.get("wheelhouse", {}).get("targets") or []
    found = sorted({v for target in targets for v in re.findall(r"(?:Python |--python-version )(\d+\.\d+)", target)})
    python_versions = " and ".join(f"Python {v}" for v in found) or "the packing machine's Python"
    opening = (f"\nFinished races are in `results/` ({', '.join(results)}): open one with *File → Open results…* "
               "to look at it without training.\n") if results else ""
    return f"""# modelrace workshop: getting started (no network needed)

Open a terminal **in this folder** (the kit) and type these three commands.

## Linux and macOS

```
python3 -m venv ~/modelrace-env && ~/modelrace-env/bin/pip install --no-index --find-links wheelhouse {posix}
~/modelrace-env/bin/modelrace data import {data}
~/modelrace-env/bin/modelrace
```

## Windows (PowerShell)

```
py -m venv $HOME\\modelrace-env; & $HOME\\modelrace-env\\Scripts\\pip install --no-index --find-links wheelhouse {windows}
& $HOME\\modelrace-env\\Scripts\\modelrace data import {data}
& $HOME\\modelrace-env\\Scripts\\modelrace
```

The first installs modelrace (and any model plugin) from the kit, the second copies the Covertype
data into modelrace's cache (its checksum is verified), the third opens the window: press **Run**.
The wheels are for {python_versions}: if `python3 --version` (or `py --version`) names another version, type
`python3.X` (or `py -3.X`) with the kit's version instead.

## If something does not work

Run `modelrace workshop check` (or *Help → Workshop check…* in the window). It tests the packages,
the Keras backend, the data, the window and a short race of every model, and prints the fix for
anything that fails.
{opening}
This kit was packed with modelrace {manifest.get('modelrace')} on {manifest.get('packed_on')}; its wheels
fit {', '.join(manifest.get('wheelhouse', {}).get('targets') or ['that platform'])}.
"""



def find_kit_data(path: Path) -> list[Path]:
    """The data files of a kit folder (or the file itself, if ``path`` is one)."""
    path = Path(path).expanduser()
    if path.is_file():
        return [path]
    found = sorted((path / DATA).glob(f"*{KIT_SUFFIX}")) or sorted(path.glob(f"*{KIT_SUFFIX}"))
    if not found:
        raise DataError(f"{path}: no workshop kit data here (no {DATA}/*{KIT_SUFFIX}); choose the kit folder "
                        "made by `modelrace workshop pack`")
    return found


def read_manifest(kit: Path | None) -> dict:
    """The kit's ``kit.json`` (empty when there is none)."""
    if kit is None:
        return {}
    path = Path(kit) / MANIFEST
    if not path.exists():
        return {}
    try:
        data = parse_json(read_text(path, 16 * 1024 * 1024, "kit.json"), str(path))
    except ValueError as exc:
        raise DataError(f"{path}: unreadable ({exc}); pack the kit again") from exc
    datasets = data.get("datasets", []) if isinstance(data, dict) else None
    if not isinstance(datasets, list) or not all(
            isinstance(d, dict) and all(isinstance(d.get(k), str) for k in ("name", "file", "sha256", "sha256_rows"))
            for d in datasets):
        raise DataError(f"{path}: damaged (its datasets list is not as modelrace writes it); pack the kit again")
    return data


def folder_bytes(folder: Path) -> int:
    """Total size of the files under ``folder``."""
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def this_platform() -> str:
    """This machine's system, processor and Python, as the kit records it."""
    return f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
