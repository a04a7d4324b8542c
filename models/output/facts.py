"""What a report says about how a result was made: each model's settings, the split, the data, the machine.

One builder for the HTML and the PDF report, so both show the same rows, in the same order, in words
(no snake_case keys, no raw JSON). A report is sent to other people: it never shows a local path.
The data file is named by its file name and its sha256, and any absolute path inside a note or an
error is cut to its last part (:func:`public_text`).
"""

from __future__ import annotations

import re
from typing import Any

from modelrace.models.data import covtype
from modelrace.models.output.settings_rows import Row, config_rows
from modelrace.models.results.document import ModelEntry, Result, raced_models
from modelrace.models.results.installed import not_installed, ordered
from modelrace.models.system.formatting import MISSING, count, percent, status_word, steps
from modelrace.models.trainers import registry
from modelrace.models.trainers.registry import label as model_label

#: An absolute path (POSIX, home-relative or Windows) standing alone in a text: not part of a URL
#: ("https://doi.org/…" has ':' before its '//') nor of a word such as "Spruce/Fir" or "1/2".
_PATH = re.compile(r"(?<![\w:/\\.~-])(?:~|[A-Za-z]:)?[\\/](?:[^\s\\/]+[\\/])+[^\s\\/,;:)\]'\"]*")
Section = tuple[str, list[Row]]  # (title, rows)


def file_name(path: str) -> str:
    """The last part of a path ('covtype.csv.gz' of '/home/me/data/covtype.csv.gz'); a path's folders stay private."""
    return re.split(r"[\\/]", path.rstrip("\\/"))[-1] or path


def public_text(text: Any) -> str:
    """``text`` with every absolute path in it cut to its file name (a report must not show the machine's folders)."""
    return _PATH.sub(lambda match: file_name(match.group(0)), "" if text is None else str(text))


def data_source(dataset: dict) -> str:
    """Where the rows came from, fit to share: the file name (never its folders)."""
    source = str(dataset.get("source") or "")
    if not source:
        return MISSING
    looks_like_path = (" " not in source.strip() or source.startswith(("/", "~")) or re.match(r"[A-Za-z]:[\\/]", source))
    return file_name(source) if looks_like_path else public_text(source)


def class_labels(result: Result, short: bool = False) -> list[str]:
    """The class names as the window shows them: Covertype's 1..7 with their cover types ('2 Lodgepole Pine').

    ``short``: the few-letter names for where seven sit side by side (matrix columns, chart ticks).
    """
    dataset = result["dataset"]
    classes = [str(c) for c in dataset.get("classes", [])]
    return covtype.class_names(classes, short=short) if dataset.get("kind") == "covtype" else classes


def threads_text(threads: Any) -> str:
    """The threads each model trained with, in words: 'Keras MLP: 2 threads per operation, 2 operations at once; …'."""
    if not isinstance(threads, dict) or not threads:
        return MISSING if not threads else str(threads)
    parts = []
    for key, value in ordered(threads).items():
        parts.append(f"{model_label(key)}: {_thread_words(value)}")
    return "; ".join(parts)


_THREAD_WORDS = {"n_jobs": "{} threads", "intra_op": "{} threads per operation", "inter_op": "{} operations at once",
                 "xla_intra_op": "{} XLA threads", "requested": "{} threads asked for", "blas": "{} BLAS threads",
                 "openmp": "{} OpenMP threads"}


def _thread_words(value: Any) -> str:
    if not isinstance(value, dict):
        return str(value)
    words = [_THREAD_WORDS.get(name, name.replace("_", " ") + " {}").format(n) for name, n in value.items()]
    return ", ".join(words) or MISSING


def class_counts_text(result: Result) -> str:
    """Rows per class, readable: '1 Spruce/Fir 2,377 · 2 Lodgepole Pine 4,788 · …'."""
    counts = result["dataset"].get("class_counts")
    if not counts:
        return MISSING
    return " · ".join(f"{name}: {count(int(n))}" for name, n in zip(class_labels(result), counts))


def model_sections(result: Result) -> list[Section]:
    """One (model name with its state, settings rows) per raced model, in the registry's race order.

    The title says how far it trained, in its own unit: 'RandomForest (finished, 100 trees)',
    'Keras MLP (stopped, 12/30 epochs)'.
    """
    sections = []
    for key, model in raced_models(result).items():
        trained = trained_text(key, model)
        title = f"{model_label(key)} ({status_word(model['status'])}{', ' + trained if trained else ''})"
        rows = config_rows(key, model.get("config"))
        if model.get("error"):
            rows.append(("Error", public_text(model["error"])))
        sections.append((title, rows))
    return sections


def trained_text(key: str, model: ModelEntry) -> str:
    """How far a model trained in its native unit: '100 trees', or '12/30 epochs' short of its plan; '' for no step."""
    done, planned = model.get("steps_done"), model.get("planned_steps")
    if not isinstance(done, (int, float)) or isinstance(done, bool) or done <= 0:
        return ""
    short = isinstance(planned, int) and not isinstance(planned, bool) and planned > int(done + 1e-9)
    return steps(done, planned if short else None, model.get("unit") or registry.unit(key))


_SPLIT = (
    ("seed", "Seed", str),
    ("train", "Training rows", lambda v: count(v)),
    ("validation", "Validation rows", lambda v: count(v)),
    ("test", "Test rows", lambda v: count(v)),
    ("test_fraction", "Test share", lambda v: percent(v, 0)),
    ("validation_fraction", "Validation share (of the rest)", lambda v: percent(v, 0)),
    ("stratified", "Stratified by class", lambda v: "yes" if v else "no"),
    ("scaling", "Scaling", str),
    ("monitor_rows", "Validation rows scored for the live curve", lambda v: count(v)),
)


def split_rows(result: Result) -> list[Row]:
    """How the rows were split, in words; keys this version does not know follow under their own name."""
    split = result["split"]
    rows = [(label, _safe(write, split[key])) for key, label, write in _SPLIT if key in split]
    known = {key for key, _, _ in _SPLIT}
    return rows + [(key.replace("_", " "), public_text(value)) for key, value in split.items() if key not in known]


def dataset_rows(result: Result) -> list[Row]:
    """What the data was: name, file (name only) and sha256, format, rows, features, target, classes with counts."""
    dataset = result["dataset"]
    total = dataset.get("total_rows")
    rows_used = count(dataset["rows"]) if isinstance(dataset.get("rows"), int) else MISSING
    if isinstance(total, int) and total != dataset.get("rows"):
        rows_used += f" of {count(total)}"
    return [
        ("Name", str(dataset.get("name") or MISSING)),
        ("File", data_source(dataset)),
        ("sha256 of the file", str(dataset.get("source_sha256") or MISSING)),
        ("sha256 of the rows used", str(dataset.get("sha256") or MISSING)),
        ("Format", public_text(dataset.get("format") or MISSING)),
        ("Rows used", rows_used),
        ("Features", str(dataset.get("features", MISSING))),
        ("Target column", str(dataset.get("target") or MISSING)),
        ("Rows per class", class_counts_text(result)),
    ]


def keras_raced(result: Result) -> bool:
    """True if a raced model trains with Keras (then the Keras backend it ran on is worth saying)."""
    return any(registry.uses_library(key, "keras") for key in raced_models(result))


def environment_rows(result: Result) -> list[Row]:
    """The machine and libraries: Python, platform, CPU, cores, mode, backend, device, GPUs, threads, versions.

    The Keras backend only when a raced model used Keras.
    """
    env = result["environment"]
    versions = ", ".join(f"{name} {version}" for name, version in (env.get("versions") or {}).items() if version)
    backend = [("Keras backend", str(env.get("keras_backend") or MISSING))] if keras_raced(result) else []
    return [
        ("Python", str(env.get("python") or MISSING)),
        ("Platform", str(env.get("platform") or MISSING)),
        ("CPU", f"{env.get('cpu') or MISSING}, {env.get('cores', MISSING)} cores"),
        ("Race mode", str(env.get("mode") or MISSING)),
        *backend,
        ("Device", str(env.get("device") or "cpu")),
        ("GPUs found", ", ".join(env.get("gpus") or []) or "none"),
        ("Threads", threads_text(env.get("threads"))),
        ("Library versions", versions or MISSING),
    ]


def note_lines(result: Result) -> list[str]:
    """The dataset's and the race's notes, with any path cut to its file name; then which models are not installed."""
    notes = [public_text(n) for n in list(result["dataset"].get("notes") or []) + list(result.get("notes") or [])]
    missing = not_installed(result)
    if len(missing) == 1:
        notes.append(f"Model '{missing[0]}' is not installed where this report was written: it is shown under its key, "
                     "in grey, with its settings as the file names them; install the plugin that provides it to see "
                     "its own names.")
    elif missing:
        notes.append(f"Models {', '.join(repr(key) for key in missing)} are not installed where this report was "
                     "written: they are shown under their keys, in grey, with their settings as the file names them; "
                     "install the plugins that provide them to see their own names.")
    return notes


def _safe(write: Any, value: Any) -> str:
    try:
        return public_text(write(value))
    except (TypeError, ValueError):
        return public_text(value)


def subtitle(result: Result) -> str:
    """The line under a report's title: data, preset, mode, seed, date, and whether the race was stopped."""
    race, env = result.get("race") or {}, result["environment"]
    parts = [str(result["dataset"].get("name")), f"preset {result.get('preset')}", f"{race.get('mode', env.get('mode'))} mode",
             f"seed {result['split'].get('seed')}", str(result.get("created") or "")]
    return " · ".join(p for p in parts if p) + (" · stopped early" if race.get("stopped") else "")


def claim_text(result: Result) -> str:
    """The claim a report tests, the models on each side of it, its target and how time is counted."""
    verdict = result["verdict"]
    source = f" ({verdict['target_source']})" if verdict.get("target_source") else ""
    raced = list(raced_models(result))
    simpler, neural = (registry.on_side(side, raced) for side in ("simpler", "neural"))
    sides = ""
    if simpler:
        sides = f" such as {_either(simpler)}" + (f", against {_either(neural)}" if neural else "")
    return ("Claim tested: “for many tasks you'll likely get good results more quickly with a simpler model”"
            f"{sides}. Target: {percent(verdict.get('target'))} validation accuracy{source}; time to "
            "target counts training seconds, monitoring excluded.")


def _either(keys: list[str]) -> str:
    """Models named in a sentence: 'the MLP', 'RandomForest or XGBoost', 'RandomForest, XGBoost or HGB'."""
    names = [registry.sentence_name(key) for key in keys]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
