"""The "Run on" box: race here as one race (as always), on local Dask workers, or on a cluster's scheduler."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit, QSpinBox, QWidget

from modelrace.models.cluster.grid_plan import GridOptions, default_threads
from modelrace.models.system.environment import cpu_count

HERE, LOCAL, SCHEDULER = "This machine", "Local workers", "A scheduler"


class RunOnBox(QGroupBox):
    """Where the race's seeds × sizes run: a choice, the workers and threads, or the scheduler's address."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Run on", parent)
        cores = cpu_count()
        self.where = QComboBox()
        self.where.addItems([HERE, LOCAL, SCHEDULER])
        self.where.setToolTip("This machine: one race after another, as always. Local workers: the seeds × sizes "
                              "race as cells on worker processes here, one cell per worker. A scheduler: on a Dask "
                              "cluster already running elsewhere (it runs pickled code: use only one you trust).")
        self.workers = QSpinBox()
        self.workers.setRange(1, max(1, cores))
        self.workers.setValue(max(1, min(2, cores)))
        self.workers.setToolTip("Worker processes on this machine; each races one cell at a time")
        self.threads = QSpinBox()
        self.threads.setRange(0, max(1, cores))
        self.threads.setSpecialValueText("auto")
        self.threads.setToolTip("Threads each cell trains with (auto: the cores divided between the workers)")
        self.address = QLineEdit()
        self.address.setPlaceholderText("tcp://HOST:8786")
        self.address.setToolTip("The Dask scheduler's address. tls:// uses the TLS files of Dask's own configuration "
                                "(distributed.comm.tls in ~/.config/dask).")
        form = QFormLayout(self)
        form.addRow("Where", self.where)
        form.addRow("Workers", self.workers)
        form.addRow("Threads per race", self.threads)
        form.addRow("Scheduler", self.address)
        self._form = form
        self.where.currentTextChanged.connect(self._show_fields)
        self._show_fields(self.where.currentText())

    def options(self) -> GridOptions | None:
        """Where the cells run, or None to race on this machine as one race."""
        choice = self.where.currentText()
        threads = self.threads.value() or None
        if choice == LOCAL:
            return GridOptions(workers=self.workers.value(), threads=threads)
        if choice == SCHEDULER:
            return GridOptions(scheduler=self.address.text().strip(), threads=threads)
        return None

    def describe(self) -> str:
        """The choice in words, for the log."""
        options = self.options()
        if options is None:
            return "this machine"
        threads = options.threads or default_threads(cpu_count(), options.workers or 1)
        if options.local:
            return f"{options.workers} local worker{'s' if options.workers != 1 else ''}, {threads} thread(s) each"
        return f"the cluster at {options.scheduler}"

    def _show_fields(self, choice: str) -> None:
        for field, wanted in ((self.workers, choice == LOCAL), (self.threads, choice != HERE),
                              (self.address, choice == SCHEDULER)):
            self._form.setRowVisible(field, wanted)

    # ------------------------------------------------------------------------- remembered state
    def state(self) -> dict[str, Any]:
        """What the window remembers of this box between sessions."""
        return {"run_on": self.where.currentText(), "workers": self.workers.value(), "threads": self.threads.value(),
                "scheduler": self.address.text()}

    def restore(self, state: dict[str, Any]) -> None:
        """Restore :meth:`state` (missing or bad values keep the current ones)."""
        if str(state.get("run_on")) in (HERE, LOCAL, SCHEDULER):
            self.where.setCurrentText(str(state["run_on"]))
        for box, name in ((self.workers, "workers"), (self.threads, "threads")):
            try:
                box.setValue(int(state[name]))
            except (KeyError, TypeError, ValueError):
                pass
        if "scheduler" in state:
            self.address.setText(str(state["scheduler"] or ""))
