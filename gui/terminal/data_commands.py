"""``modelrace data fetch|import|list|remove``: the dataset cache, and the sample bundled with modelrace."""

from __future__ import annotations

import argparse

from modelrace.gui.terminal.outputs import shown
from modelrace.gui.terminal.race_command import download_progress
from modelrace.models.data import bundled
from modelrace.models.data.cache import cached_names, read_meta
from modelrace.models.data.download import fetch_covtype
from modelrace.models.data.importing import import_file
from modelrace.models.data.opening import remove_dataset
from modelrace.models.system.errors import UserError
from modelrace.models.system.paths import datasets_dir
from modelrace.models.workshop.kit import find_kit_data


def command_data(args: argparse.Namespace) -> int:
    """The ``data`` sub-commands: fetch, import, list, remove."""
    if args.data_command == "fetch":
        dataset = fetch_covtype(progress=download_progress, force=args.force)
        print(f"covtype: {dataset.rows:,} rows, {len(dataset.classes)} classes, from {shown(dataset.source)}")
        return 0
    if args.data_command == "import" and args.file.is_dir():  # a workshop kit: import every dataset in it
        for path in find_kit_data(args.file):
            dataset = import_file(path)
            print(f"Imported {shown(path)} as '{dataset.name}': {dataset.rows:,} rows, {len(dataset.classes)} classes "
                  "(checksum verified)")
        return 0
    if args.data_command == "import":
        dataset = import_file(args.file, target=args.target, name=args.name)
        print(
            f"Imported {shown(args.file)} as '{dataset.name}': {dataset.rows:,} rows, {dataset.X.shape[1]} features, "
            f"{len(dataset.classes)} classes ({dataset.format})"
        )
        for note in dataset.notes:
            print(f"  note: {shown(note)}")
        return 0
    if args.data_command == "remove":
        remove_dataset(args.name)
        print(f"Removed '{shown(args.name)}' from the cache")
        return 0
    return list_datasets()


def list_datasets() -> int:
    """Print every dataset a race can use: the cache, then the read-only bundled sample."""
    names = cached_names()
    if not names:
        print(f"No cached datasets in {shown(datasets_dir())}. Run `modelrace data fetch` or `modelrace data import FILE`; "
              f"until then races use the bundled sample below.")
    rows = [("name", "rows", "classes", "source")]
    for name in names:
        try:
            meta = read_meta(name)
            rows.append((name, f"{meta['rows']:,}", str(len(meta["classes"])), shown(meta["source"])))
        except UserError as exc:
            rows.append((name, "?", "?", f"damaged: {exc}"))
    sample = bundled.meta()
    rows.append((bundled.NAME, f"{sample['rows']:,}", str(len(sample["classes"])),
                 f"read-only: {sample['source']}"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for row in rows:
        print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}")
    if names:
        print(f"({shown(datasets_dir())})")
    return 0
