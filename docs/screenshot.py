"""Make ``docs/graph.png``, the README's screenshot of the graph view of the seeds.

    python docs/screenshot.py                      # output/graph.html -> docs/graph.png
    python docs/screenshot.py --html other.html --out shot.png --select 建始县委

Opens the page in Debian's headless Chromium through Playwright with every non-file request
aborted, waits until the layout has settled, selects a node (by label; default the body with
the most links) so that the detail panel shows, centres the view on it (or fits the whole graph
with ``--scale 0``) and saves a PNG.
Needs ``apt-get install chromium fonts-wqy-zenhei`` and ``pip install playwright`` (the test
extra); ``playwright install`` is not needed.

What this script does not do: build the graph (``kg build`` writes output/graph.html).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def screenshot(html: Path, out: Path, select: str | None = None, scale: float = 0.75,
               width: int = 1400, height: int = 860) -> str:
    """Save the screenshot, centred on the selected node at ``scale`` (0: the whole graph);
    return the label of the selected node."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(html.resolve().as_uri())
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=300_000)
        node = page.evaluate("""want => {
            const nodes = kgView.data.nodes;
            const hit = want && kgView.find(want);
            if (hit) { return hit; }
            return nodes.filter(n => n.type === 'Body')
                        .sort((a, b) => b.degree - a.degree || (a.label < b.label ? -1 : 1))[0]
                   || nodes[0];
          }""", select)
        if node:
            page.evaluate("id => kgView.focusNode(id)", node["id"])
            page.wait_for_timeout(600)          # let the focus animation end, then frame it
            page.evaluate("""([id, scale]) => scale ? network.moveTo({
                position: network.getPositions([id])[id], scale: scale, animation: false})
                : network.fit({animation: false})""", [node["id"], scale])
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()
    if errors:
        raise RuntimeError(f"the page reported errors: {errors}")
    return node["label"] if node else ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--html", type=Path, default=ROOT / "output" / "graph.html")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "graph.png")
    ap.add_argument("--select", help="label or alias of the node to select")
    ap.add_argument("--scale", type=float, default=0.75, help="zoom on the selected node; 0 fits the whole graph")
    args = ap.parse_args(argv)
    if not args.html.is_file():
        print(f"error: {args.html}: no such file; run `kg build` first", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).is_file():
        print(f"error: {CHROMIUM} not found: apt-get install chromium fonts-wqy-zenhei", file=sys.stderr)
        return 2
    label = screenshot(args.html, args.out, args.select, args.scale)
    print(f"wrote {args.out} (selected: {label})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
