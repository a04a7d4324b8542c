"""Deeply nested or huge JSON and TOML get a one-line refusal before any parser sees them (results, presets,
kit manifests, cache descriptions), never a RecursionError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelrace.gui.terminal.main import main

DEPTH = 100_000


def deep_json(kind: str) -> str:
    if kind == "arrays":
        return "[" * DEPTH + "]" * DEPTH
    if kind == "objects":
        return '{"a": ' * DEPTH + "1" + "}" * DEPTH
    return '{"schema": 1, "models": {"rf": ' + "[" * DEPTH + "]" * DEPTH + "}}"  # inside a plausible result


@pytest.mark.parametrize("kind", ["arrays", "objects", "result"])
@pytest.mark.parametrize("command", ["report", "export-script"])
def test_a_deeply_nested_result_is_refused_in_one_line(tmp_path: Path, kind: str, command: str, capsys) -> None:
    path = tmp_path / "deep.json"
    path.write_text(deep_json(kind))
    args = [command, str(path), *(["--report", str(tmp_path / "r.html")] if command == "report" else [str(tmp_path / "s.py")])]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "nested more than 64 levels deep" in err and "line 1" in err and str(path) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and "Recursion" not in err


def test_brackets_inside_strings_do_not_count(tmp_path: Path, capsys) -> None:
    path = tmp_path / "strings.json"
    path.write_text(json.dumps({"schema": 1, "models": {}, "notes": ["[" * 500 + '\\"{' * 500]}))
    assert main(["report", str(path), "--report", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err
    assert "nested" not in err and "not a modelrace result" not in err and str(path) in err  # the schema speaks


@pytest.mark.parametrize("body", ["[mlp]\nhidden = " + "[" * DEPTH + "]" * DEPTH + "\n",
                                  "x = " + "{a = " * DEPTH + "1" + "}" * DEPTH + "\n",
                                  "a = '''\n" + "[" * DEPTH + "\n'''\n[mlp]\nhidden = " + "[" * 70 + "]" * 70 + "\n"])
def test_a_deeply_nested_preset_is_refused(tmp_path: Path, body: str, capsys) -> None:
    preset = tmp_path / "deep.toml"
    preset.write_text(body)
    assert main(["race", "--preset", str(preset), "--models", "rf"]) == 2
    err = capsys.readouterr().err
    assert "nested more than 64 levels deep" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_huge_result_or_preset_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys) -> None:
    from modelrace.models.race import presets
    from modelrace.models.results import files

    monkeypatch.setattr(files, "MAX_RESULT_BYTES", 1000)
    monkeypatch.setattr(presets, "MAX_PRESET_BYTES", 100)
    big = tmp_path / "big.json"
    big.write_text(" " * 5000)
    assert main(["report", str(big), "--report", str(tmp_path / "r.html")]) == 2
    assert "larger than any result file" in capsys.readouterr().err
    toml = tmp_path / "big.toml"
    toml.write_text("# " + "x" * 500 + "\n")
    assert main(["race", "--preset", str(toml)]) == 2
    assert "larger than any preset" in capsys.readouterr().err


def test_a_deep_kit_manifest_and_cache_description_are_refused(sample_file: Path, tmp_path: Path, isolated_home: Path,
                                                               capsys) -> None:
    kit = tmp_path / "kit"
    kit.mkdir()
    (kit / "kit.json").write_text(deep_json("objects"))
    assert main(["workshop", "check", "--kit", str(kit), "--no-window"]) == 2
    assert "nested more than 64 levels deep" in capsys.readouterr().err
    assert main(["data", "import", str(sample_file), "--name", "deep"]) == 0
    (isolated_home / "datasets" / "deep" / "meta.json").write_text(deep_json("arrays"))
    assert main(["race", "--data", "deep", "--models", "rf"]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "nested more than 64 levels" in err and len(err.strip().splitlines()) == 1
