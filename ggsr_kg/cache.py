"""A small cache on disk for results that are slow to compute and depend only on their input
text (the rewritten shape queries: rdflib's parser needs about a second for all of them, which a
short command should not pay each time).

One JSON file per kind in ``$GGSR_KG_CACHE`` (default ``$XDG_CACHE_HOME/ggsr-kg`` or
``~/.cache/ggsr-kg``); keys are SHA-256 digests of the input. Written atomically (a temporary file
renamed over the old one); any failure to read or write only means computing again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

_loaded: dict[str, dict[str, str]] = {}
_dirty: set[str] = set()


def directory() -> Path:
    explicit = os.environ.get("GGSR_KG_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ggsr-kg"


def _file(kind: str) -> Path:
    return directory() / f"{kind}.json"


def _table(kind: str) -> dict[str, str]:
    if kind not in _loaded:
        try:
            data = json.loads(_file(kind).read_text(encoding="utf-8"))
            _loaded[kind] = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            _loaded[kind] = {}
    return _loaded[kind]


def source_digest(module_file: str) -> str:
    """A digest of a module's source, for the keys of what it computes: taken when the module is
    imported (the code that runs), so changed code never reuses what older code wrote."""
    return hashlib.sha256(Path(module_file).read_bytes()).hexdigest()[:16]


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def get(kind: str, text: str) -> str | None:
    value = _table(kind).get(_key(text))
    return value if isinstance(value, str) else None


def put(kind: str, text: str, value: str) -> None:
    table = _table(kind)
    k = _key(text)
    if table.get(k) == value:
        return
    table[k] = value
    if not _dirty:
        import atexit

        atexit.register(flush)
    _dirty.add(kind)


def flush() -> None:
    """Write what was added (at exit, or when a caller wants it on disk now)."""
    for kind in sorted(_dirty):
        try:
            folder = directory()
            folder.mkdir(parents=True, exist_ok=True)
            # merge with what another process may have written meanwhile
            try:
                on_disk = json.loads(_file(kind).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                on_disk = {}
            merged = (on_disk if isinstance(on_disk, dict) else {}) | _loaded[kind]
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(merged, f)
            os.replace(tmp, _file(kind))
        except OSError:
            pass
    _dirty.clear()
