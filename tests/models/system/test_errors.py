"""User errors: one line, in each front end's words, and carrying the data a front end acts on."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelrace.models.data.importer import read_table
from modelrace.models.data.opening import open_dataset
from modelrace.models.race.presets import load_preset
from modelrace.models.race.settings import RaceSettings
from modelrace.models.system.errors import PHRASES, ConfigError, DataError, NeedsLabelColumn, UnknownDataset, UserError, words

MARKERS = ("\ue000", "\ue001")


@pytest.mark.parametrize("key", sorted(PHRASES))
def test_every_phrase_renders_in_both_front_ends(key: str) -> None:
    error = UserError(f"before {words(key, name='lesson')} after")
    terminal, window = str(error), error.in_window()
    assert terminal == f"before {PHRASES[key][0].format(name='lesson')} after"
    assert window == f"before {PHRASES[key][1].format(name='lesson')} after"
    assert not any(m in terminal + window for m in MARKERS)


def test_the_terminal_names_flags_and_the_window_names_its_fields() -> None:
    with pytest.raises(ConfigError) as caught:
        RaceSettings(load_preset("quick"), sizes=(1000,), rows=3000)
    assert str(caught.value) == "--sizes and --rows both choose how many rows to race on; use one of them"
    assert caught.value.in_window() == ("Sizes and Rows both choose how many rows to race on; set Rows to 'all rows' "
                                        "or clear Sizes")


def test_one_line_whatever_the_file_name(tmp_path: Path) -> None:
    name = tmp_path / "a\nb.csv"
    error = DataError(f"{name}: bad")
    assert "\n" not in str(error) and "\n" not in error.in_window() and "a\\nb.csv" in str(error)


def test_a_table_without_a_label_column_carries_its_columns(tmp_path: Path, tiny_table) -> None:
    path = tmp_path / "plants.csv"
    tiny_table().to_csv(path, index=False)
    with pytest.raises(NeedsLabelColumn) as caught:
        read_table(path)
    assert caught.value.path == path and caught.value.columns == ["f0", "f1", "f2", "f3", "label"]
    assert "--target COLUMN" in str(caught.value) and "--target" not in caught.value.in_window()
    assert read_table(path, target="label").classes  # the fix the window applies with that data


def test_an_unknown_name_carries_it(capsys) -> None:
    with pytest.raises(UnknownDataset) as caught:
        open_dataset("forest")
    assert caught.value.name == "forest"
    assert "`modelrace data import FILE`" in str(caught.value) and "Import…" in caught.value.in_window()
    assert "`modelrace" not in caught.value.in_window()
