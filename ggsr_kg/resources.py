"""Where the shipped ontology, shapes, queries and data live.

Installed, they are package data under ``ggsr_kg.bundled.*`` (pyproject maps the top-level folders
there); in a source checkout the top-level folders are used directly. Nothing reads ../shared.
"""

from functools import cache
from importlib import resources
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent


@cache
def resource_dir(name: str) -> Path:
    """Folder of the shipped resource ``name`` (ontology, shapes, queries, data)."""
    local = _REPO / name
    if local.is_dir() and (_REPO / "pyproject.toml").is_file():
        return local
    # bundled/* are namespace packages (no __init__.py): files() of one of them is a
    # MultiplexedPath, not a folder, so go through the regular package ggsr_kg instead.
    installed = Path(str(resources.files("ggsr_kg"))) / "bundled" / name
    if not installed.is_dir():  # pragma: no cover - broken installation
        raise RuntimeError(f"ggsr-kg resource folder '{name}' is missing ({installed})")
    return installed


def rdf_files(name: str) -> list[Path]:
    """All Turtle/TriG files under a resource folder, in a stable order."""
    root = resource_dir(name)
    return sorted(p for p in root.rglob("*") if p.suffix in {".ttl", ".trig"})
