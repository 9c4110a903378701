"""The app in a real browser: `wijkwijs ui` on a free loopback port with the real model on the real
corpus, driven by headless Chromium (selenium + Debian's chromium/chromium-driver).

It asks the README's question, checks that the answer cites the "Zo doen we dat!" magazine, asks a
follow-up, and takes a screenshot of each of the five pages. Screenshots go to a temp folder, or to
WIJKWIJS_SCREENSHOTS_DIR when set:
`WIJKWIJS_SCREENSHOTS_DIR=docs/screenshots .venv/bin/python -m pytest tests/integration/test_ui_browser.py`
refreshes the README's pictures. The time to the answers is written to timings.json beside them and
printed (see -s); the speed figures themselves come from `benchmarks/ui_browser.py`, not from here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from tests.browser import (
    ask, assistant_messages, button, chromium_available, choose, css, english_words, running_ui, settled,
    start_chromium, wait_for, webdriver_escape,
)

pytestmark = pytest.mark.integration

QUESTION = "Hoe regel je een waakvlamfunctie?"
MAGAZINE_TITLE = "Zo doen we dat!"


@pytest.fixture(scope="module")
def app_url(corpus_kb, e5_model_dir, tmp_path_factory):
    """`wijkwijs ui` on a copy of the ingested corpus (its own Chroma files: one process each)."""
    root = tmp_path_factory.mktemp("ui")
    data, corpus = root / "data", root / "corpus"
    shutil.copytree(corpus_kb.settings.data_dir, data)
    shutil.copytree(corpus_kb.settings.corpus_dir, corpus)
    env = {
        "WIJKWIJS_DATA_DIR": str(data),
        "WIJKWIJS_CORPUS_DIR": str(corpus),
        "WIJKWIJS_EMBEDDING__MODEL_DIR": str(e5_model_dir),
        "WIJKWIJS_CONFIG": str(root / "geen.toml"),  # no wijkwijs.toml from the working folder
    }
    with running_ui(env, root / "ui.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not chromium_available():
        message = "chromium/chromedriver ontbreken: apt-get install chromium chromium-driver (make test doet dat)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    driver = start_chromium(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("WIJKWIJS_SCREENSHOTS_DIR") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- the test --------------------------------------------------------------------------------


def test_the_five_pages_in_a_real_browser(app_url, browser, shots):
    timings = {}

    # Start: what the knowledge base covers, with example questions drawn from it.
    browser.get(app_url)
    wait_for(browser, lambda d: "Wat staat erin" in d.page_source)
    settled(browser)
    assert "Praktijkvoorbeelden" in browser.page_source and not english_words(browser)
    browser.save_screenshot(str(shots / "start.png"))

    # Vraag het: the first answer, measured from opening the page.
    opened = time.perf_counter()
    browser.get(f"{app_url}/vraag-het")
    waited, message = ask(browser, QUESTION)
    timings["first_answer_after_page_open_s"] = round(time.perf_counter() - opened, 2)
    timings["first_answer_after_enter_s"] = round(waited, 2)
    assert MAGAZINE_TITLE in message.text, message.text
    assert "[1]" in message.text and "waakvlam" in message.text.lower()
    settled(browser)
    assert css(browser, "[data-testid=stChatMessage] .wijkwijs-passage mark")  # the quote, the question's words marked
    browser.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.5)
    browser.save_screenshot(str(shots / "vraag-het.png"))

    # "Hele sectie tonen" in source [1]: after the rerun it shows the section with the cited
    # passage marked.
    message.find_element("css selector", "[data-testid=stCheckbox] label").click()
    wait_for(browser, lambda d: "de geciteerde passage" in d.page_source)
    settled(browser)
    assert "de geciteerde passage" in [m for m in css(browser, "[data-testid=stChatMessage]")][-1].text

    # A later answer (a follow-up): the model is loaded, so as fast as the CLI plus rendering.
    waited, follow_up = ask(browser, "En wie zorgt daarvoor in Hoorn?")
    timings["later_answer_s"] = round(waited, 2)
    assert "[1]" in follow_up.text or "geen antwoord" in follow_up.text

    # Zoeken: a search with highlights.
    browser.get(f"{app_url}/zoeken")
    box = wait_for(browser, lambda d: next(iter(css(d, "input[aria-label=Zoekterm]")), None))
    box.send_keys("waakvlamfunctie")
    button(browser, "Zoeken").click()
    wait_for(browser, lambda d: "passages gevonden" in d.page_source)
    settled(browser)
    assert css(browser, ".wijkwijs-passage mark")
    browser.save_screenshot(str(shots / "zoeken.png"))
    css(browser, "[data-testid=stMultiSelect]")[0].click()  # a filter's list: "Alles kiezen", not "Select all"
    wait_for(browser, lambda d: css(d, "[role=option]"))
    assert shown_after(browser, "[data-key=__select_all__]") == '"Alles kiezen"'  # CSS content, ui/style.py
    assert not english_words(browser), english_words(browser)
    webdriver_escape(browser)

    # Lessen & praktijkvoorbeelden, reached through the sidebar: a card with its sources, then
    # the lessons of one place in their themes.
    links = css(browser, "[data-testid=stSidebarNavLink]")
    titles = [a.text.splitlines()[-1].strip() for a in links]  # the first line is the icon's name
    assert titles == ["Start", "Vraag het", "Zoeken", "Lessen & praktijkvoorbeelden", "Beheer", "Evaluatie"], titles
    links[3].click()
    wait_for(browser, lambda d: "19</strong> van 19 praktijkvoorbeelden" in d.page_source)
    settled(browser)
    card = next(s for s in css(browser, "[data-testid=stExpander] summary") if "Hoorn: gezamenlijke aanpak" in s.text)
    card.click()
    wait_for(browser, lambda d: "huurdersorganisatie De Boog" in d.page_source)
    settled(browser)
    popovers = [b for b in css(browser, "[data-testid=stPopover] button") if "Bronnen" in b.text]
    popovers[1].click()  # Plaatsen, Partners, …: the partners' sources
    wait_for(browser, lambda d: any("De Boog" in s.text for s in css(d, ".wijkwijs-passage strong")))
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", card)
    time.sleep(0.5)
    browser.save_screenshot(str(shots / "praktijkvoorbeelden.png"))
    webdriver_escape(browser)

    browser.execute_script("window.scrollTo(0, 0)")
    next(t for t in css(browser, "[data-testid=stTab]") if t.text.strip() == "Lessen").click()
    wait_for(browser, lambda d: "lessen en punten in" in d.page_source)
    settled(browser)
    choose(browser, "Plaats", "Utrecht")
    wait_for(browser, lambda d: "Majella Wonen" in d.page_source and len(css(d, "[data-testid=stDataFrame]")) == 2)
    settled(browser)
    assert [b.text.strip() for b in css(browser, "[data-testid=stDownloadButton] button")] == [
        "Exporteer als Markdown", "Exporteer als CSV"]
    browser.save_screenshot(str(shots / "lessen.png"))

    # Beheer: the documents of the real corpus.
    browser.get(f"{app_url}/beheer")
    wait_for(browser, lambda d: "Documenten in de kennisbank (5)" in d.page_source)
    settled(browser)
    assert shown_after(browser, "[data-testid=stFileUploaderDropzone] button [data-testid=stMarkdownContainer]") \
        == '"Bestand kiezen"'
    assert not english_words(browser), english_words(browser)
    browser.save_screenshot(str(shots / "beheer.png"))

    # Evaluatie: a run on the bundled dev set.
    browser.get(f"{app_url}/evaluatie")
    button(browser, "Evaluatie starten").click()
    wait_for(browser, lambda d: "Verloop over de runs" in d.page_source, 300)
    settled(browser)
    assert "Evaluatie klaar" in browser.page_source
    metrics = [m.text for m in css(browser, "[data-testid=stMetricValue]")]
    assert any(re.fullmatch(r"\d,\d\d", m) for m in metrics), metrics  # Dutch notation: 0,89
    assert not any(re.fullmatch(r"\d\.\d\d", m) for m in metrics), metrics
    assert not english_words(browser), english_words(browser)
    results = next(h for h in css(browser, "h1, h2, h3") if h.text.strip().startswith("Resultaten"))
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", results)
    time.sleep(0.5)
    browser.save_screenshot(str(shots / "evaluatie.png"))

    (shots / "timings.json").write_text(json.dumps(timings, indent=2) + "\n", "utf-8")
    print(f"\nscreenshots: {shots}\ntimings: {timings}")


def shown_after(driver, selector: str) -> str:
    """The text CSS puts after the first element matching `selector` (innerText leaves it out)."""
    return driver.execute_script(
        "return getComputedStyle(document.querySelector(arguments[0]), '::after').content", selector)


def test_a_conversation_lasts_and_its_sources_are_links(app_url, browser):
    """Ask and follow up; reload: the conversation is still there; in a new conversation [2]
    scrolls to source 2, copy and export work; the old conversation reopens from the sidebar."""
    browser.get(f"{app_url}/vraag-het")
    ask(browser, QUESTION)
    ask(browser, "En wie betaalt dat?")
    settled(browser)
    assert "gesprek=" in browser.current_url  # the conversation is in the address
    browser.refresh()
    wait_for(browser, lambda d: len(assistant_messages(d)) == 2)
    settled(browser)
    assert QUESTION in browser.page_source

    button(browser, "Nieuw gesprek").click()
    wait_for(browser, lambda d: not assistant_messages(d))
    settled(browser)
    ask(browser, "Welke lessen zijn er over samenwerken met bewoners?")
    settled(browser)
    links = [(m, a) for m in assistant_messages(browser) for a in m.find_elements("css selector", "a[href*='#bron-']")]
    cited, link = next(((m, a) for m, a in links if a.text.strip() == "[2]"), (None, None))
    assert cited is not None, [(a.text, a.get_attribute("href")) for _, a in links]  # an answer with two sources
    target = link.get_attribute("href").split("#", 1)[1]
    browser.execute_script("window.scrollTo(0, 0)")
    link.click()
    time.sleep(1)
    top, height = browser.execute_script(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect(); return [r.top, window.innerHeight]",
        target)
    assert 0 <= top < height, (top, height)  # source 2 is in view
    key, n = target.removeprefix("bron-").rsplit("-", 1)  # the source's container: ui/chat.py show_answer
    source = css(browser, f".st-key-{key}-bron-{n}")[0]
    assert source.text.startswith("[2]") and len(source.text.splitlines()) >= 3, source.text  # open: label, quote

    next(b for b in cited.find_elements("css selector", "[data-testid=stPopover] button") if "Kopiëren" in b.text).click()
    wait_for(browser, lambda d: any("Bronnen:" in c.text for c in css(d, "[data-testid=stCode]")))
    webdriver_escape(browser)
    next(b for b in css(browser, "[data-testid=stSidebar] [data-testid=stPopover] button") if "Dit gesprek" in b.text).click()
    wait_for(browser, lambda d: [b.text.strip().splitlines()[-1] for b in css(d, "[data-testid=stDownloadButton] button")]
             == ["Exporteer als Markdown", "Exporteer als Word"])
    webdriver_escape(browser)
    assert not english_words(browser), english_words(browser)

    earlier = wait_for(browser, lambda d: next((b for b in css(d, "[data-testid=stSidebar] button")
                                                 if b.text.startswith(QUESTION)), None))
    earlier.click()
    wait_for(browser, lambda d: len(assistant_messages(d)) == 2 and QUESTION in d.page_source)
    settled(browser)

    browser.get(f"{app_url}/vraag")  # the address of an earlier version
    wait_for(browser, lambda d: css(d, "[data-testid=stChatInputTextArea]"))
    settled(browser)
    assert "Page not found" not in browser.execute_script("return document.body.innerText")


NEWDOCS = Path(__file__).resolve().parents[2].parent / "shared" / "newdocs"


@pytest.mark.skipif(not NEWDOCS.is_dir(), reason="../shared/newdocs ontbreekt")
def test_new_reports_added_in_beheer_show_their_cases_and_lessons(app_url, browser):
    """A maintainer uploads the two shared new reports on the Beheer page; Lessen &
    praktijkvoorbeelden then shows the PDF's portraits as cases and the reports' lessons."""
    folders = sorted(p for p in NEWDOCS.iterdir() if (p / "labels.json").exists())
    files = [next(f for f in p.iterdir() if f.suffix in (".pdf", ".docx")) for p in folders]
    labels = [json.loads((p / "labels.json").read_text("utf-8")) for p in folders]
    browser.get(f"{app_url}/beheer")
    wait_for(browser, lambda d: "Documenten in de kennisbank (" in d.page_source)
    settled(browser)
    upload = css(browser, "[data-testid=stFileUploader] input[type=file]")[0]
    upload.send_keys("\n".join(str(f) for f in files))
    wait_for(browser, lambda d: all(f.name in d.page_source for f in files))  # both listed under the uploader
    settled(browser)
    button(browser, "Toevoegen aan de kennisbank").click()
    wait_for(browser, lambda d: "Documenten in de kennisbank (7)" in d.page_source, 300)
    settled(browser)

    links = css(browser, "[data-testid=stSidebarNavLink]")
    links[3].click()  # Lessen & praktijkvoorbeelden
    cases = [c["name"] for lab in labels for c in lab["cases"]]
    wait_for(browser, lambda d: all(name in d.page_source for name in cases), 120)
    settled(browser)

    for lab in labels:  # each report, chosen as the document: its lessons are listed
        browser.get(f"{app_url}/lessen")
        wait_for(browser, lambda d: css(d, "[data-testid=stTab]"))
        settled(browser)
        next(t for t in css(browser, "[data-testid=stTab]") if t.text.strip() == "Lessen").click()
        wait_for(browser, lambda d: "lessen en punten in" in d.page_source)
        settled(browser)
        choose(browser, "Document", lab["title"])
        wait_for(browser, lambda d: re.search(r"· les \d+", d.page_source) and lab["title"] in d.page_source, 60)
        settled(browser)
        assert len(css(browser, "[data-testid=stDataFrame]")) >= 2  # lessons in at least two themes
