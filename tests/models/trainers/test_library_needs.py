"""Everything that needs a model's libraries reads them from the registered specs: a model registered here (as a
plugin would be) is preloaded, warmed up, version-checked, recorded, self-tested, shipped in a kit and offered the
GPU exactly as its spec says, and a library no raced model needs is never loaded."""

from __future__ import annotations

import json
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from modelrace.models.system import environment
from modelrace.models.system.errors import ConfigError
from modelrace.models.trainers import devices, libraries, preload, registry
from modelrace.models.trainers.configs import check_settings, setting
from modelrace.models.trainers.protocol import Trainer
from modelrace.models.trainers.spec import Library, ModelSpec


def fake_spec(key: str, library: Library, gpu: bool = False, label: str = "") -> ModelSpec:
    """A model that trains with ``library`` (it is never fitted here)."""

    @dataclass(frozen=True)
    class FakeConfig:
        steps: int = setting(3, "Steps", "Steps to take.", minimum=1, maximum=10)

        def __post_init__(self) -> None:
            check_settings(self)

    class FakeTrainer(Trainer):
        def planned_steps(self) -> int:
            return self.config.steps

        def fit(self, split: Any, sink: Any) -> Any:
            raise NotImplementedError

    return ModelSpec(key=key, label=label or f"Fake {key}", short_label=key.upper(), unit="step", config=FakeConfig,
                     trainer=FakeTrainer, side="simpler", libraries=(library,), repro=lambda *args: "", gpu=gpu)


@pytest.fixture
def fake_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``fake_library()``: a Library whose module exists on disk (importable) and is not imported yet."""
    made: list[str] = []

    def make(importable: bool = True) -> Library:
        name = f"modelrace_fakelib_{uuid.uuid4().hex[:8]}"
        if importable:
            (tmp_path / f"{name}.py").write_text("LOADED = True\n")
        made.append(name)
        return Library(name, name.replace("_", "-") + "-dist", f"FakeLib {name[-8:]}")

    monkeypatch.syspath_prepend(str(tmp_path))
    yield make
    for name in made:
        sys.modules.pop(name, None)


def test_the_libraries_are_the_specs_each_once_in_race_order(fake_library, register) -> None:
    first, second = fake_library(), fake_library()
    register(fake_spec("fakea", first), fake_spec("fakeb", second), fake_spec("fakec", first))
    assert libraries.libraries(["fakec", "fakeb", "fakea"]) == [first, second]
    assert libraries.modules(["fakea", "nosuchmodel"]) == [first.module]
    every = [library.module for spec in registry.specs().values() for library in spec.libraries]
    assert libraries.modules() == list(dict.fromkeys(every)) and {first.module, second.module} <= set(every)
    assert libraries.distributions(["fakea", "fakeb"]) == [first.distribution, second.distribution]


def test_keras_means_keras_and_its_backend_by_library_not_by_model_key(fake_library, register) -> None:
    register(fake_spec("fakek", Library("keras", "keras", "Keras")), fake_spec("fakea", fake_library()))
    assert libraries.uses_keras(["fakek"]) and not libraries.uses_keras(["fakea"])
    assert "fakek" in libraries.keras_models() and "fakea" not in libraries.keras_models()
    assert libraries.distributions(["fakek"], backends=["jax"]) == ["keras", "jax"]
    assert libraries.distributions(["fakea"], backends=["jax"]) == [libraries.libraries(["fakea"])[0].distribution]


def test_what_a_model_has_to_load_follows_its_spec_for_every_registered_model(fake_library, register) -> None:
    library = fake_library()
    register(fake_spec("fakea", library))
    assert preload.library_to_load("fakea") == library.name
    __import__(library.module)
    assert preload.library_to_load("fakea") is None
    for key in registry.specs():  # every registered model: a name of its spec's libraries, or nothing left to load
        names = {lib.name for lib in registry.spec(key).libraries} | {"TensorFlow", "JAX"}
        loading = preload.library_to_load(key)
        assert loading is None or all(part in names for part in loading.split(" and ")), (key, loading)


def test_the_preload_loads_the_next_races_libraries_and_never_one_no_model_needs(fake_library, register,
                                                                                 monkeypatch) -> None:
    raced, other = fake_library(), fake_library()
    register(fake_spec("fakea", raced), fake_spec("fakeb", other))
    monkeypatch.setattr(preload, "_loaded", None)
    keras_before = "keras" in sys.modules
    loaded = preload.preload_libraries(2, ["fakea"])
    assert loaded == raced.name
    assert raced.module in sys.modules and other.module not in sys.modules
    assert ("keras" in sys.modules) == keras_before, "no model of this race uses Keras"
    assert preload.preload_libraries(2, ["fakeb"]) == loaded, "once per process"


def test_the_gpu_advice_names_the_models_whose_spec_says_gpu(fake_library, register) -> None:
    register(fake_spec("fakeg", fake_library(), gpu=True, label="GPU Forest"),
             fake_spec("fakec", fake_library(), label="CPU Forest"))
    assert "fakeg" in devices.gpu_models() and "fakec" not in devices.gpu_models()
    assert devices.gpu_models(["fakec", "fakeg"]) == ["fakeg"]
    advice = devices.gpu_advice()
    assert "GPU Forest" in advice.split(" on the GPU")[0] and "CPU Forest" in advice.split("gain most.")[1]
    assert devices.GPU_ADVICE == advice
    assert devices.gpu_advice(["fakec"]).startswith("No model here can train on a GPU")
    for key in registry.specs():
        assert (key in devices.gpu_models()) == registry.spec(key).gpu


def test_a_grid_checks_the_versions_of_the_raced_models_libraries(fake_library, register) -> None:
    from modelrace.models.cluster.versions import BASE_PACKAGES, mismatches, packages_to_check, race_packages

    library = fake_library()
    register(fake_spec("fakea", library), fake_spec("fakek", Library("keras", "keras", "Keras")))
    packages = race_packages(["fakea"], None)
    assert packages[:len(BASE_PACKAGES)] == list(BASE_PACKAGES) and library.distribution in packages
    assert "keras" not in packages and not set(libraries.distributions()) - set(race_packages(None, None))
    assert race_packages(["fakek"], "jax")[len(BASE_PACKAGES):] == ["keras", "jax"]
    checked = packages_to_check(None, ["fakea"])
    here = {name: "1.0" for name in checked} | {"python": "3.12.1.final.0"}
    versions = {"client": {"packages": here}, "scheduler": {"packages": here},
                "workers": {"tcp://w:1": {"packages": {**here, library.distribution: "2.0"}}}}
    assert mismatches(versions, checked) == [f"worker tcp://w:1: {library.distribution} 2.0, here 1.0"]


def test_a_cell_warms_up_the_libraries_of_the_models_it_races(fake_library, register) -> None:
    from modelrace.models.cluster.cell import warm_up

    raced, other = fake_library(), fake_library()
    register(fake_spec("fakea", raced), fake_spec("fakeb", other))
    announced: list[bool] = []
    settings: Any = SimpleNamespace(models=["fakea"])
    warm_up(settings, 1, None, lambda: announced.append(True))
    assert raced.module in sys.modules and other.module not in sys.modules and announced == [True]
    warm_up(settings, 1, None, lambda: announced.append(True))
    assert announced == [True], "loaded already: nothing to announce"


def test_a_cell_loads_keras_itself_when_this_process_preloaded_for_other_models(fake_library, register,
                                                                              monkeypatch) -> None:
    from modelrace.models.cluster import cell

    register(fake_spec("fakek", Library("keras", "keras", "Keras")))
    monkeypatch.setattr(preload, "_loaded", "scikit-learn")  # an earlier grid's cell on this worker raced a forest
    monkeypatch.delitem(sys.modules, "keras", raising=False)
    calls: list[str] = []
    monkeypatch.setattr(cell, "choose_backend", lambda backend: calls.append(f"backend {backend}"))
    monkeypatch.setattr(cell, "import_keras", lambda threads: calls.append(f"keras {threads}"))
    settings: Any = SimpleNamespace(models=["fakek"])
    cell.warm_up(settings, 3, "jax", lambda: calls.append("announced"))
    assert calls == ["announced", "backend jax", "keras 3"]


def test_a_result_records_the_versions_of_its_models_libraries(fake_library, register) -> None:
    library = fake_library()
    register(fake_spec("fakea", library), fake_spec("fakek", Library("keras", "keras", "Keras")))
    recorded = libraries.recorded_packages(["fakea"])
    assert recorded[:len(environment.PACKAGES)] == list(environment.PACKAGES) and library.distribution in recorded
    assert "keras" not in recorded
    assert libraries.recorded_packages(["fakek"])[len(environment.PACKAGES):] == ["keras", "tensorflow", "jax"]
    versions = environment.versions(recorded)
    assert versions[library.distribution] is None and versions["numpy"]
    assert environment.describe({}, "fair", packages=recorded)["versions"] == versions


def test_the_workshop_check_imports_every_models_libraries_and_names_a_plugin_left_out(fake_library, register) -> None:
    from modelrace.models.workshop import check

    present, missing = fake_library(), fake_library(importable=False)
    register(fake_spec("fakea", present))
    assert (present.module, present.distribution) in check.packages()
    passed = check.check_packages("reinstall")
    assert passed.ok and present.distribution in passed.detail, passed.detail
    left_out = "plugin modelrace-zz (zz = zz:SPEC) was left out: ImportError: no"
    register(fake_spec("fakeb", missing), problems=(left_out,))
    failed = check.check_packages("reinstall")
    assert not failed.ok and f"{missing.distribution} (ModuleNotFoundError" in failed.detail
    assert "plugin modelrace-zz (zz = zz:SPEC) was left out" in failed.detail


def test_the_mini_race_races_every_registered_model(fake_library, register, monkeypatch) -> None:
    from modelrace.models.workshop import check

    register(fake_spec("fakea", fake_library()))
    raced: list[list[str]] = []

    def fake_run(dataset: Any, settings: Any) -> Any:
        raced.append(list(settings.models))
        raise RuntimeError("stop here")

    monkeypatch.setattr(check, "open_dataset", lambda name: SimpleNamespace(rows=5000))
    monkeypatch.setattr(check, "run", fake_run)
    result = check.check_mini_race("anything")
    assert raced == [list(registry.specs())] and "fakea" in raced[0]
    assert not result.ok and f"--models {','.join(registry.specs())}" in result.fix


def test_a_kit_ships_every_models_distributions_and_the_students_install_them(fake_library, register, monkeypatch,
                                                                            tmp_path: Path) -> None:
    from modelrace.models.workshop import wheels
    from modelrace.models.workshop.kit import PackOptions, students_guide

    library = fake_library()
    register(fake_spec("fakea", library))
    extra = wheels.model_distributions()
    assert library.distribution in extra
    assert not {"scikit-learn", "xgboost", "keras", "modelrace"} & set(extra), "modelrace's own requirements"
    house = tmp_path / "kit" / "wheelhouse"
    house.mkdir(parents=True)
    own = house / "modelrace-0.1.0-py3-none-any.whl"
    own.write_bytes(b"")
    commands: list[list[str]] = []
    monkeypatch.setattr(wheels, "_own_wheel", lambda *args: own)
    monkeypatch.setattr(wheels, "_run_pip", lambda command, progress: commands.append(command) or set())
    manifest = {"wheelhouse": wheels.pack_wheels(house, PackOptions(kit=tmp_path / "kit"), lambda text: None)}
    download = next(command for command in commands if "download" in command)
    assert library.distribution in download and str(own) in download
    assert manifest["wheelhouse"]["models"] == extra
    guide = students_guide(manifest)
    assert f"--find-links wheelhouse 'modelrace' '{library.distribution}'" in guide
    assert f'--find-links wheelhouse "modelrace" "{library.distribution}"' in guide


def test_a_plugin_installed_from_a_folder_has_its_wheel_built_from_it(monkeypatch, tmp_path: Path) -> None:
    from importlib import metadata

    from modelrace.models.workshop import wheels

    folder = tmp_path / "plugin"
    folder.mkdir()
    direct = {"url": folder.as_uri(), "dir_info": {"editable": True}}
    monkeypatch.setattr(wheels.metadata, "distribution",
                        lambda name: SimpleNamespace(read_text=lambda file: json.dumps(direct)))
    assert wheels.local_source("anything") == folder
    direct = {"url": "https://example.org/x-1.0-py3-none-any.whl", "archive_info": {}}
    assert wheels.local_source("anything") is None

    def missing(name: str) -> Any:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(wheels.metadata, "distribution", missing)
    assert wheels.local_source("anything") is None


def test_a_preset_takes_a_table_for_any_registered_model_and_refuses_one_not_installed(fake_library, register) -> None:
    from modelrace.models.race.presets import preset_from_dict

    register(fake_spec("fakea", fake_library()))
    preset = preset_from_dict("mine", {"fakea": {"steps": 7}}, where="mine.toml")
    assert preset.models["fakea"].steps == 7
    assert set(preset.models) == set(registry.specs()), "every model gets a config (its defaults when no table)"
    with pytest.raises(ConfigError) as caught:
        preset_from_dict("mine", {"zzplugin": {"n_estimators": 3}}, where="mine.toml")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("mine.toml: table [zzplugin]")
    assert "not installed" in message and "install the package that adds it, or remove the table" in message
    with pytest.raises(ConfigError, match=r"mine.toml: unknown table \[fakeaa\]; did you mean \[fakea\]"):
        preset_from_dict("mine", {"fakeaa": {}}, where="mine.toml")
    with pytest.raises(ConfigError, match="mine.toml: unknown setting 'seed' outside any table"):
        preset_from_dict("mine", {"seed": 1}, where="mine.toml")
