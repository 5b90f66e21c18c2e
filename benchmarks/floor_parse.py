"""The parsing floor: read and parse every registry file with libyaml, nothing else.

    python benchmarks/floor_parse.py REGISTRY_DIR
"""

from __future__ import annotations

import os
import sys

import yaml


def main() -> None:
    """Parse every ``*.yaml`` under the folder with ``yaml.load(..., Loader=CSafeLoader)``."""
    root = sys.argv[1]
    count = 0
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(".yaml"):
                with open(os.path.join(folder, name), "rb") as handle:
                    yaml.load(handle.read(), Loader=yaml.CSafeLoader)
                count += 1
    print(f"{count} files parsed")


if __name__ == "__main__":
    main()
