"""ggsr-kg: kennisgraaf van GGSR-netwerken en wie waarvoor verantwoordelijk is.

The library API lives in the submodules; the ``ggsr-kg`` command is a thin layer over it.
"""

__version__ = "0.1.0"
