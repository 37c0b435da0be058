"""An installed copy (not the source tree) ships and finds every ontology, shape, query and data
file: the Quickstart runs from an installation, the rest of the suite from the checkout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import json, ggsr_kg
from ggsr_kg.resources import resource_dir
out = {"module": ggsr_kg.__file__}
for name in ("ontology", "shapes", "queries", "data"):
    root = resource_dir(name)
    out[name] = sorted(str(p.relative_to(root)) for p in root.rglob("*")
                       if p.suffix in {".ttl", ".trig", ".rq", ".csv", ".xml"})
print(json.dumps(out))
"""


@pytest.mark.slow
def test_installed_copy_ships_every_resource(tmp_path):
    target = tmp_path / "site"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--quiet",
            "--target",
            str(target),
            str(REPO),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"pip could not build the package here: {done.stderr[-400:]}")
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # away from the checkout, so the installed copy is imported
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    found = json.loads(probe.stdout)
    assert found["module"].startswith(str(target))
    for name in ("ontology", "shapes", "queries", "data"):
        root = REPO / name
        expected = sorted(
            str(p.relative_to(root))
            for p in root.rglob("*")
            if p.suffix in {".ttl", ".trig", ".rq", ".csv", ".xml"}
        )
        assert found[name] == expected, name
    report = subprocess.run(
        [sys.executable, "-m", "ggsr_kg.cli", "doorzettingsmacht", "--gemeente", "Emmen"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert report.returncode == 0, report.stderr
    assert "Emmen" in report.stdout
    # serve's query page (YASGUI and the page around it) is shipped too
    static = target / "ggsr_kg" / "server" / "static"
    for name in ("index.html", "yasgui.min.js", "yasgui.min.css", "YASGUI-LICENSE.txt"):
        assert (static / name).is_file(), name
