"""Getting Covertype onto the machine: scikit-learn's cache if it has it, else a verified download."""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import numpy as np

from modelrace.models.data import covtype
from modelrace.models.data.covtype import BUNDLED_NAME
from modelrace.models.data.cache import cached_names, load_cached, save_cached
from modelrace.models.data.dataset import content_hash, COVTYPE_NAME, Dataset
from modelrace.models.data.importing import import_file
from modelrace.models.system.errors import DataError, words
from modelrace.models.system.paths import downloads_dir

#: Environment overrides, for mirrors and for tests.
URL_ENV = "MODELRACE_COVTYPE_URL"
SHA256_ENV = "MODELRACE_COVTYPE_SHA256"

Progress = Callable[[str, int, int], None]  # (what, done bytes, total bytes or 0)


def fetch_covtype(progress: Progress | None = None, force: bool = False, timeout: float = 30.0) -> Dataset:
    """Return the full Covertype dataset, caching it as ``covtype`` on first use.

    Order: the modelrace cache; scikit-learn's own ``fetch_covtype`` cache (no network needed);
    a download of ``covtype.data.gz``, verified against its sha256 before it is used.
    """
    report = progress or (lambda what, done, total: None)
    if COVTYPE_NAME in cached_names() and not force:
        return load_cached(COVTYPE_NAME)
    from_sklearn = _from_sklearn_cache()
    if from_sklearn is not None and not force:
        report("found scikit-learn's Covertype cache", 1, 1)
        save_cached(from_sklearn)
        return from_sklearn
    archive = download_archive(report, timeout)
    try:
        report("importing covtype.data.gz", 0, 0)
        return import_file(archive, name=COVTYPE_NAME, replace_other=force)
    finally:
        archive.unlink(missing_ok=True)


def _from_sklearn_cache() -> Dataset | None:
    """Covertype from scikit-learn's data home, if it was fetched there before (never downloads)."""
    from sklearn.datasets import fetch_covtype as sklearn_fetch_covtype
    from sklearn.datasets import get_data_home

    try:
        bunch = sklearn_fetch_covtype(download_if_missing=False)
    except (OSError, ValueError, EOFError):
        return None
    X = np.ascontiguousarray(bunch.data, dtype=np.float32)
    labels = np.asarray(bunch.target).astype(np.int64)
    present = np.unique(labels)
    y = np.searchsorted(present, labels).astype(np.int32)
    classes = [str(c) for c in present]
    return Dataset(
        name=COVTYPE_NAME, X=X, y=y, feature_names=list(covtype.FEATURES), classes=classes, kind="covtype",
        target=covtype.TARGET, source=f"scikit-learn fetch_covtype cache in {get_data_home()}", source_sha256="",
        sha256=content_hash(X, y, list(covtype.FEATURES), classes), format="scikit-learn fetch_covtype",
    )


def download_archive(progress: Progress, timeout: float = 30.0) -> Path:
    """Download covtype.data.gz to a staging file, verify its sha256 and return its path.

    The file is written as ``*.part`` and renamed only once complete and verified, so an
    interrupted or corrupted download is never used as data.
    """
    url = os.environ.get(URL_ENV, covtype.DEFAULT_URL)
    expected = os.environ.get(SHA256_ENV, covtype.DEFAULT_SHA256)
    folder = downloads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / "covtype.data.gz"
    partial = folder / "covtype.data.gz.part"
    digest = hashlib.sha256()
    done = response_length = 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(partial, "wb") as out:
            response_length = int(response.headers.get("Content-Length") or 0)
            total = response_length or covtype.DOWNLOAD_BYTES
            progress(f"downloading Covertype from {url}", 0, total)
            for chunk in iter(lambda: response.read(1 << 16), b""):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                progress(f"downloading Covertype from {url}", done, total)
    except (urllib.error.URLError, socket.timeout, ConnectionError, OSError, http.client.HTTPException, ValueError) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise DataError(
            f"could not download Covertype from {url} ({reason}); this machine seems to be offline. If you have "
            f"covtype.data.gz or a Covertype CSV, import it with {words('import-covtype')}; the bundled "
            f"{BUNDLED_NAME} sample races without a download"
        ) from exc
    if response_length and done < response_length:
        partial.unlink(missing_ok=True)
        raise DataError(
            f"the download from {url} stopped after {done:,} of {response_length:,} bytes (the connection was "
            f"interrupted); nothing was kept, {words('fetch-again')}"
        )
    if digest.hexdigest() != expected:
        partial.unlink(missing_ok=True)
        raise DataError(
            f"the download from {url} is incomplete or corrupt (sha256 {digest.hexdigest()[:12]}..., expected "
            f"{expected[:12]}...); {words('fetch-again')}"
        )
    os.replace(partial, final)
    return final
