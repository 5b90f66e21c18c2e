"""Regenerate the screenshots in docs/site.md: build the sample's site and photograph two pages.

    python -m tools.site_screenshots        # needs Chromium (make system-deps)

Writes docs/images/site-committee.png (desktop width) and docs/images/site-decision-phone.png
(a phone's width) from the shipped sample registry, as of 1 June 2022.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
SHOTS = (("committees/bcd-cpdt.html", "site-committee.png", "1100,1500"),
         ("decisions/qd-913-2021.html", "site-decision-phone.png", "400,1000"))


def main() -> int:
    """Build the site in a temporary folder, then take each screenshot with headless Chromium."""
    browser = next((b for b in ("chromium", "chromium-browser") if shutil.which(b)), None)
    if browser is None:
        print("Chromium is not installed: run `make system-deps` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "committee_cli", "--registry", str(ROOT / "registry"),
                        "site", "--out", str(out), "--as-of", "2022-06-01", "--downloads",
                        "md,docx"], check=True)
        IMAGES.mkdir(parents=True, exist_ok=True)
        for page, image, size in SHOTS:
            subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                            "--hide-scrollbars", f"--window-size={size}",
                            f"--screenshot={IMAGES / image}", (out / page).as_uri()],
                           check=True, capture_output=True)
            print(f"wrote {IMAGES / image}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
