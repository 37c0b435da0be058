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
    try:
        return Path(str(resources.files(f"ggsr_kg.bundled.{name}")))
    except ModuleNotFoundError as exc:  # pragma: no cover - broken installation
        raise RuntimeError(f"ggsr-kg resource folder '{name}' is missing") from exc


def rdf_files(name: str) -> list[Path]:
    """All Turtle/TriG files under a resource folder, in a stable order."""
    root = resource_dir(name)
    return sorted(p for p in root.rglob("*") if p.suffix in {".ttl", ".trig"})
