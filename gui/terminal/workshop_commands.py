"""``modelrace workshop pack DIR`` and ``modelrace workshop check``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from modelrace.gui import STARTUP_PROBE_ENV
from modelrace.gui.terminal.outputs import shown
from modelrace.models.system.errors import ConfigError
from modelrace.models.workshop.check import CheckResult, run_checks
from modelrace.models.workshop.kit import STUDENTS, PackOptions
from modelrace.models.workshop.pack import pack


def command_workshop(args: argparse.Namespace) -> int:
    """Pack a kit, or run the pre-class check of this machine (exit 1 if a check failed)."""
    if args.workshop_command == "pack":
        options = PackOptions(
            kit=args.kit, datasets=args.dataset, results=args.results, presets=args.preset, platforms=args.platform,
            python_versions=args.python_version, extras=args.extra, find_links=args.find_links,
            no_index=args.no_index, wheels=not args.no_wheels,
        )
        manifest = pack(options, progress=lambda line: print(line, flush=True))
        wheels = manifest.get("wheelhouse", {})
        print(f"Kit ready in {shown(args.kit)}: {manifest['bytes'] / 1e6:,.0f} MB ({wheels.get('wheels', 0)} wheels, "
              f"{len(manifest['datasets'])} dataset(s), {len(manifest['results'])} result(s)). "
              f"Students follow {shown(args.kit / STUDENTS)}.")
        return 0
    if args.kit is not None and not args.kit.is_dir():
        raise ConfigError(f"{args.kit}: no such kit folder; give the folder made by `modelrace workshop pack`")
    failed = 0
    for result in run_checks(args.kit, window=None if args.no_window else check_window):
        print(result.line(), flush=True)
        failed += not result.ok
    print("All checks passed: ready for class." if not failed else f"{failed} check(s) failed; apply the fixes above.")
    return 0 if not failed else 1


def check_window(timeout: float = 60.0) -> CheckResult:
    """A modelrace window opens and paints (``modelrace gui`` in a new process, closed at its first paint)."""
    fix = ("run this on the machine's desktop (a display is needed); on Linux install the xcb libraries "
           "(e.g. apt install libxcb-cursor0), or set QT_QPA_PLATFORM=offscreen to test without a screen")
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                                                 or os.environ.get("QT_QPA_PLATFORM")):
        return CheckResult("window", False, "no display (neither DISPLAY nor WAYLAND_DISPLAY is set)", fix)
    env = {**os.environ, STARTUP_PROBE_ENV: "1"}
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "modelrace.gui", "gui"], env=env, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return CheckResult("window", False, f"the window did not open within {timeout:.0f} s", fix)
    if proc.returncode != 0 or "first-paint" not in proc.stdout:
        reason = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        return CheckResult("window", False, f"the window could not open ({reason})", fix)
    return CheckResult("window", True, f"opened and painted in {time.perf_counter() - start:.1f} s")
