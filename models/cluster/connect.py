"""Reaching a Dask cluster: the embedded LocalCluster modelrace starts and stops itself, or a running scheduler.

Every failure to reach one is a :class:`SchedulerUnreachable` with one line, within about
``connect_timeout`` + 1 s: ``Client(timeout=)`` alone is not enough, because a port that accepts
TCP but is not a Dask scheduler (a web server, say) leaves Dask's handshake waiting forever, so the
address is probed first under a hard deadline.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from dataclasses import dataclass
from typing import Any

from modelrace.models.cluster.grid_plan import GridOptions, MAX_STARTS
from modelrace.models.system.errors import ConfigError, UserError, one_line, words

#: The variables Dask's Nanny would set in *this* process before spawning workers (it updates
#: ``os.environ`` itself); None keeps them out, so the app's own BLAS threads stay as they were.
_NO_ENV_LEAK = {key: None for key in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                       "MALLOC_TRIM_THRESHOLD_")}


class SchedulerUnreachable(UserError):
    """No Dask scheduler could be reached at the address given (or it refused us)."""


class WorkersDidNotStart(UserError):
    """The local worker processes could not be started."""


@dataclass
class Connection:
    """A client on a cluster, and the LocalCluster behind it when modelrace started one."""

    client: Any
    address: str
    local_cluster: Any = None

    @property
    def kind(self) -> str:
        """``local`` (workers started here) or ``scheduler`` (a cluster that was already running)."""
        return "local" if self.local_cluster is not None else "scheduler"

    def close(self, busy: bool = False) -> None:
        """Disconnect; stop the local cluster, first killing its workers if ``busy`` (a cell still running).

        A LocalCluster waits for running tasks before it closes (4 s and more); killed first, it closes
        in a few hundredths of a second and leaves no process behind.
        """
        if self.local_cluster is not None and busy:
            kill_workers(self.worker_pids())
        try:
            self.client.close(timeout=5)
        except Exception:  # noqa: BLE001 - closing must never fail the grid; the cluster goes next anyway
            pass
        if self.local_cluster is not None:
            try:
                self.local_cluster.close(timeout=10)
            except Exception:  # noqa: BLE001 - a half-closed cluster: make sure its processes are gone
                kill_workers(self.worker_pids())

    def worker_pids(self) -> list[int]:
        """The process ids of the local cluster's workers now (a worker restarted after a death has a new one)."""
        pids = []
        for nanny in list(getattr(self.local_cluster, "workers", {}).values()):
            process = getattr(getattr(nanny, "process", None), "process", None)
            pid = getattr(process, "pid", None)
            if pid:
                pids.append(int(pid))
        return pids


def kill_workers(pids: list[int]) -> None:
    """SIGKILL the local worker processes (gone already is fine)."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def connect(options: GridOptions) -> Connection:
    """A client on the cluster ``options`` name: a new LocalCluster, or the scheduler at ``options.scheduler``."""
    if options.local:
        return start_local(options.workers or 1)
    return connect_remote(options)


def start_local(workers: int) -> Connection:
    """Start ``workers`` worker processes on this machine (one thread each: one cell at a time) and connect.

    Retries after a worker's death are the scheduler's ``allowed-failures`` (exceptions are not
    retried: a failing model is already recorded in its race). No dashboard, no open port beyond
    127.0.0.1. Workers move to their own process group, so Ctrl+C in the terminal reaches only
    modelrace, which then stops the cells itself.
    """
    import dask
    from distributed import Client, LocalCluster

    from modelrace.models.cluster.cell import OwnProcessGroup

    config = {
        "distributed.scheduler.allowed-failures": MAX_STARTS - 1,
        "distributed.scheduler.worker-saturation": 1.0,  # one cell per worker, none waiting on a worker
        "distributed.nanny.pre-spawn-environ": _NO_ENV_LEAK,
    }
    try:
        with dask.config.set(config):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None, silence_logs=logging.ERROR)
    except Exception as exc:  # noqa: BLE001 - whatever stopped the processes, the user gets one line
        cause = exc.__cause__ or exc
        raise WorkersDidNotStart(f"could not start {workers} local worker process(es): {type(cause).__name__}: "
                                 f"{one_line(str(cause))[:300]}; {words('without-workers')}, or with fewer workers") from None
    try:
        client = Client(cluster, set_as_default=False)
        client.register_plugin(OwnProcessGroup(), name="modelrace-own-process-group")
        return Connection(client, cluster.scheduler_address, cluster)
    except BaseException:
        cluster.close()
        raise


def connect_remote(options: GridOptions) -> Connection:
    """Connect to the running scheduler at ``options.scheduler``; SchedulerUnreachable within the timeout."""
    from distributed import Client

    address = options.scheduler or ""
    security = _security(options)
    probe(address, options.connect_timeout, security)
    try:
        client = Client(address, timeout=options.connect_timeout, security=security, set_as_default=False)
    except (OSError, asyncio.TimeoutError) as exc:
        raise SchedulerUnreachable(f"{address}: cannot connect ({one_line(str(exc))}); check the address and that "
                                   "`dask scheduler` runs there") from None
    return Connection(client, address)


def _security(options: GridOptions) -> Any:
    """Dask's Security for a ``tls://`` address (CA, certificate and key files); none for ``tcp://``."""
    from distributed.security import Security

    files = (options.tls_ca_file, options.tls_cert, options.tls_key)
    if not any(files):
        return Security()
    missing = [flag for flag, path in zip(("--tls-ca-file", "--tls-cert", "--tls-key"), files) if path is None]
    if missing:
        raise ConfigError(f"TLS needs all three files; add {', '.join(missing)}")
    for flag, path in zip(("--tls-ca-file", "--tls-cert", "--tls-key"), files):
        if path is None or not path.is_file():  # None was refused above; the check says so to the type checker
            raise ConfigError(f"{flag} {path}: no such file; give the PEM file Dask's TLS uses")
    return Security(tls_ca_file=str(options.tls_ca_file), tls_client_cert=str(options.tls_cert),
                    tls_client_key=str(options.tls_key), require_encryption=True)


def check_address(address: str) -> str:
    """The scheme of a scheduler address (tcp or tls); ConfigError for any other form."""
    scheme, sep, rest = address.partition("://")
    if not sep:
        raise ConfigError(f"{words('scheduler')} {address}: write the address as tcp://HOST:PORT (or tls://HOST:PORT), "
                          "e.g. tcp://10.0.0.5:8786")
    if scheme not in ("tcp", "tls") or not rest or rest.startswith(":"):
        raise ConfigError(f"{words('scheduler')} {address}: write the address as tcp://HOST:PORT or tls://HOST:PORT")
    return scheme


def probe(address: str, timeout: float, security: Any) -> None:
    """Open and close one Dask connection to ``address`` within ``timeout`` + 1 s, or raise SchedulerUnreachable."""
    from distributed.comm import connect as dask_connect

    scheme = check_address(address)
    args = security.get_connection_args("client")
    if scheme == "tls" and args.get("ssl_context") is None:
        raise ConfigError(f"{words('scheduler')} {address}: tls:// needs {words('tls-files')}")

    async def attempt() -> None:
        comm = await dask_connect(address, timeout=timeout, **args)
        await comm.close()

    try:
        asyncio.run(asyncio.wait_for(attempt(), timeout + 1))
    except (TimeoutError, asyncio.TimeoutError):
        raise SchedulerUnreachable(f"{address}: no Dask scheduler answered within {timeout:g} s; check the address and "
                                   "that `dask scheduler` runs there") from None
    except OSError as exc:
        raise SchedulerUnreachable(f"{address}: cannot connect ({one_line(str(exc))}); check the address and that "
                                   "`dask scheduler` runs there") from None
    except Exception as exc:  # noqa: BLE001 - a closed comm, junk bytes: something listens, but not Dask
        raise SchedulerUnreachable(f"{address}: something answered, but not a Dask scheduler "
                                   f"({type(exc).__name__}); check the port (the scheduler's is 8786 by default)") from None
