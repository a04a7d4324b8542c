"""Growable numpy columns for a live curve: appending a point costs O(1) on average, and drawing needs no copy."""

from __future__ import annotations

import numpy as np


class CurveBuffer:
    """Append-only columns (t, step, accuracy, loss) in numpy arrays that double when full."""

    def __init__(self, capacity: int = 64) -> None:
        self._data = np.empty((capacity, 4), dtype=np.float64)
        self.size = 0

    def append(self, t: float, step: float, accuracy: float, loss: float) -> None:
        """Add one point."""
        if self.size == len(self._data):
            grown = np.empty((2 * len(self._data), 4), dtype=np.float64)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size] = (t, step, accuracy, loss)
        self.size += 1

    def column(self, index: int) -> np.ndarray:
        """A view of one column: 0 t, 1 step, 2 accuracy, 3 loss."""
        return self._data[: self.size, index]

    def clear(self) -> None:
        """Forget every point."""
        self.size = 0
