"""``ggsr-kg report``: a static HTML site of the scorecards, networks and ontology (offline)."""

from .build import Site, build_site, check_out

__all__ = ["Site", "build_site", "check_out"]
