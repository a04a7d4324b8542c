"""``modelrace workshop pack``: fill (or update) a workshop kit folder while online.

Packing again updates the kit in place: wheels and data files that are no longer part of it are
removed, and a data file whose rows did not change is not rewritten.
"""

from __future__ import annotations

import json
import time
from importlib import resources
from pathlib import Path

from modelrace.models.data.covtype import BUNDLED_NAME
from modelrace.models.data.cache import cached_names, load_cached, read_meta
from modelrace.models.data.dataset import COVTYPE_NAME, KIT_SUFFIX, file_sha256
from modelrace.models.data.kit_file import export_dataset
from modelrace.models.race.presets import load_preset
from modelrace.models.results.files import load_result
from modelrace.models.system.atomic import write_text_atomic
from modelrace.models.system.environment import version_of
from modelrace.models.system.errors import DataError, OutputError
from modelrace.models.workshop.kit import (
    DATA, KIT_VERSION, MANIFEST, PRESETS, RESULTS, STUDENTS, WHEELHOUSE, PackOptions, Progress, folder_bytes,
    read_manifest, students_guide, this_platform,
)
from modelrace.models.workshop.wheels import pack_wheels


def pack(options: PackOptions, progress: Progress = print) -> dict:
    """Fill (or update) the kit folder and return its manifest."""
    kit = Path(options.kit).expanduser()
    if kit.exists() and not kit.is_dir():
        raise OutputError(f"{kit}: is a file; give a folder for the kit")
    try:
        kit.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{kit}: cannot create the kit folder ({exc.strerror}); choose a writable folder") from exc
    try:
        previous = read_manifest(kit)
    except DataError as exc:  # packing again is the fix the message names: start the manifest afresh
        progress(f"  {exc.args[0].split(';')[0]}: writing a new one")
        previous = {}
    manifest: dict = {"kit": KIT_VERSION, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                      "modelrace": version_of("modelrace"), "packed_on": this_platform()}
    if options.wheels:
        progress("1/4 wheelhouse: downloading modelrace and its dependencies (pip download)…")
        manifest["wheelhouse"] = pack_wheels(kit / WHEELHOUSE, options, progress)
    else:
        manifest["wheelhouse"] = previous.get("wheelhouse", {})
        progress("1/4 wheelhouse: left as it is (--no-wheels)")
    progress("2/4 data: exporting the cached datasets…")
    manifest["datasets"] = _pack_data(kit / DATA, options.datasets, previous.get("datasets", []), progress)
    progress("3/4 presets and results…")
    manifest["presets"] = _pack_presets(kit / PRESETS, options.presets)
    manifest["results"] = _pack_results(kit / RESULTS, options.results)
    progress("4/4 STUDENTS.md and kit.json…")
    write_text_atomic(kit / STUDENTS, students_guide(manifest))
    write_text_atomic(kit / MANIFEST, json.dumps(manifest, indent=1) + "\n")
    manifest["bytes"] = folder_bytes(kit)
    return manifest


def _pack_data(folder: Path, names: list[str], previous: list[dict], progress: Progress) -> list[dict]:
    cached = cached_names()
    if not names:
        names = [COVTYPE_NAME] if COVTYPE_NAME in cached else cached
    if not names:
        progress(f"  no dataset is cached: students will race the {BUNDLED_NAME} sample that ships with modelrace "
                 "(`modelrace data fetch` here first puts the full Covertype in the kit)")
    folder.mkdir(parents=True, exist_ok=True)
    before = {entry["file"]: entry for entry in previous}
    entries = []
    for name in names:
        meta = read_meta(name)
        path = folder / f"{name}{KIT_SUFFIX}"
        relative = f"{DATA}/{path.name}"
        old = before.get(relative)
        if old and old.get("sha256_rows") == meta["sha256"] and path.is_file() and file_sha256(path) == old["sha256"]:
            progress(f"  {relative}: unchanged ({meta['rows']:,} rows)")
            entries.append(old)
            continue
        export_dataset(load_cached(name), path)
        entries.append({"name": name, "file": relative, "rows": meta["rows"], "classes": len(meta["classes"]),
                        "sha256": file_sha256(path), "sha256_rows": meta["sha256"], "bytes": path.stat().st_size})
        progress(f"  {relative}: {meta['rows']:,} rows, {path.stat().st_size / 1e6:.1f} MB")
    keep = {Path(e["file"]).name for e in entries}
    for stale in folder.glob(f"*{KIT_SUFFIX}"):
        if stale.name not in keep:
            progress(f"  removing {DATA}/{stale.name} (not in this kit any more)")
            stale.unlink()
    return entries


def _pack_presets(folder: Path, extra: list[Path]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    built_in = resources.files("modelrace.resources").joinpath("presets")
    for item in sorted(built_in.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".toml"):
            write_text_atomic(folder / item.name, item.read_text("utf-8"))
            names.append(item.name)
    for path in extra:
        load_preset(str(path))  # refuse a broken preset now, not in front of the class
        if not Path(path).is_file():
            continue  # a built-in preset's name: it is in the kit already
        write_text_atomic(folder / Path(path).name, Path(path).read_text("utf-8"))
        names.append(Path(path).name)
    return names


def _pack_results(folder: Path, results: list[Path]) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for path in results:
        load_result(path)  # only valid results go in
        write_text_atomic(folder / Path(path).name, Path(path).read_text("utf-8"))
    return sorted(p.name for p in folder.glob("*.json"))
