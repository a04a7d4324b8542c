"""Finding NVIDIA GPUs without loading any ML library (for the record, and to offer the GPU choice)."""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

_PROC_GPUS = Path("/proc/driver/nvidia/gpus")


@functools.cache
def detect_gpus() -> tuple[str, ...]:
    """Names of the NVIDIA GPUs on this machine (empty when there are none), without loading any ML library.

    Asks ``nvidia-smi`` (2 s at most), then the driver's /proc entries; cached for the process.
    """
    smi = shutil.which("nvidia-smi")
    if smi:
        try:
            out = subprocess.run([smi, "--query-gpu=name", "--format=csv,noheader"], capture_output=True,
                                 text=True, timeout=2, check=True).stdout
            names = tuple(line.strip() for line in out.splitlines() if line.strip())
            if names:
                return names
        except (OSError, subprocess.SubprocessError):
            pass
    found: list[str] = []
    try:
        for info in sorted(_PROC_GPUS.glob("*/information")):
            for line in info.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("Model:"):
                    found.append(line.split(":", 1)[1].strip())
    except OSError:
        pass
    return tuple(found)
