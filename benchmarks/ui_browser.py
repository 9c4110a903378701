"""Browser benchmark: how long a user of the app waits for answers, in headless Chromium.

    .venv/bin/python benchmarks/ui_browser.py [--rounds 3] [--later 8] [--open-after 0]

Each round starts `wijkwijs ui` on a copy of the ingested knowledge base (run `wijkwijs ingest`
first), opens the page `--open-after` seconds after the server answers its health check, asks the
README's question and then `--later` questions from the dev set in the same conversation. Printed:
the first answer from opening the page and from pressing Enter, and the later answers from Enter
until the sources are on screen (p50/p95/max). The browser test only records these figures; the
speed targets are judged here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.components import Components  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from benchmarks.figures import pct  # noqa: E402
from tests.browser import ask, chromium_available, running_ui, start_chromium  # noqa: E402

FIRST_QUESTION = "Hoe regel je een waakvlamfunctie?"


def later_questions(path: Path, count: int) -> list[str]:
    """Questions that stand on their own (no history), in file order."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [r["question"] for r in rows if not r.get("history")][:count]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="fresh servers, one conversation each")
    ap.add_argument("--later", type=int, default=8, help="questions after the first, per round")
    ap.add_argument("--open-after", type=float, default=0.0, help="seconds between server ready and page open")
    ap.add_argument("--questions", type=Path, default=REPO / "evals" / "dev.jsonl")
    args = ap.parse_args()
    if not chromium_available():
        sys.exit("chromium/chromedriver ontbreken: apt-get install chromium chromium-driver")

    settings = Settings()
    if not settings.chroma_dir.exists():
        sys.exit(f"geen kennisbank in {settings.data_dir}: draai eerst `wijkwijs ingest`")
    model_dir = Components(settings).ensure_model()
    later = later_questions(args.questions, args.later)

    first_open, first_enter, later_s = [], [], []
    work = Path(tempfile.mkdtemp(prefix="wijkwijs-ui-bench-"))
    try:
        # A copy, so that a running `make run` (which holds the embedded Chroma files) is left alone.
        shutil.copytree(settings.data_dir, work / "data", ignore=shutil.ignore_patterns("models"))
        env = {"WIJKWIJS_DATA_DIR": str(work / "data"), "WIJKWIJS_CORPUS_DIR": str(settings.corpus_dir),
               "WIJKWIJS_EMBEDDING__MODEL_DIR": str(model_dir), "WIJKWIJS_CONFIG": str(work / "geen.toml")}
        for round_no in range(1, args.rounds + 1):
            driver = start_chromium(work / f"chromium-{round_no}")
            try:
                with running_ui(env, work / f"ui-{round_no}.log") as url:
                    time.sleep(args.open_after)
                    opened = time.perf_counter()
                    driver.get(f"{url}/vraag-het")  # the chat (the start page is /)
                    waited, _ = ask(driver, FIRST_QUESTION)
                    first_open.append(time.perf_counter() - opened)
                    first_enter.append(waited)
                    for question in later:
                        later_s.append(ask(driver, question)[0])
            finally:
                driver.quit()
            print(f"ronde {round_no}: eerste antwoord {first_open[-1]:.2f} s na openen "
                  f"({first_enter[-1]:.2f} s na Enter)", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n== app in headless Chromium ({args.rounds} rondes, pagina {args.open_after:g} s na serverstart geopend)")
    print(f"eerste antwoord, vanaf openen   p50 {pct(first_open, 0.5):5.2f} s   max {max(first_open):5.2f} s")
    print(f"eerste antwoord, vanaf Enter    p50 {pct(first_enter, 0.5):5.2f} s   max {max(first_enter):5.2f} s")
    if later_s:
        print(f"latere antwoorden ({len(later_s)})      p50 {pct(later_s, 0.5):5.2f} s   "
              f"p95 {pct(later_s, 0.95):5.2f} s   max {max(later_s):5.2f} s")


if __name__ == "__main__":
    main()
