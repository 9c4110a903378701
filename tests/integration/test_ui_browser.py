"""The app in a real browser: `wijkwijs ui` on a free loopback port with the real model on the real
corpus, driven by headless Chromium (selenium + Debian's chromium/chromium-driver).

It asks the README's question, checks that the answer cites the "Zo doen we dat!" magazine, measures
the time from opening the page to the first answer and to a later one, and takes a screenshot of
each of the five pages. Screenshots go to a temp folder, or to WIJKWIJS_SCREENSHOTS_DIR when set:
`WIJKWIJS_SCREENSHOTS_DIR=docs/screenshots .venv/bin/python -m pytest tests/integration/test_ui_browser.py`
refreshes the README's pictures.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests import ports
from tests.integration.conftest import REPO

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
QUESTION = "Hoe regel je een waakvlamfunctie?"
MAGAZINE_TITLE = "Zo doen we dat!"
# Generous guards for a busy 2-core machine; the measured figures are printed (see -s) and
# written to timings.json beside the screenshots. Measured here: first answer 7–8 s after
# opening the page right at server start, later answers 0.5–0.7 s (README).
FIRST_ANSWER_MAX_S = 15
LATER_ANSWER_MAX_S = 3


def free_port() -> int:
    """A free loopback port, preferably in 8500–8599 (another range: WIJKWIJS_UI_TEST_PORTS=8600-8699,
    for when several people test on one machine)."""
    first, last = map(int, os.environ.get("WIJKWIJS_UI_TEST_PORTS", "8500-8599").split("-"))
    return ports.free_port(first, last)


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"wijkwijs ui stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"wijkwijs ui not healthy within {timeout} s")


@pytest.fixture(scope="module")
def app_url(corpus_kb, e5_model_dir, tmp_path_factory):
    """`wijkwijs ui` on a copy of the ingested corpus (its own Chroma files: one process each)."""
    root = tmp_path_factory.mktemp("ui")
    data, corpus = root / "data", root / "corpus"
    shutil.copytree(corpus_kb.settings.data_dir, data)
    shutil.copytree(corpus_kb.settings.corpus_dir, corpus)
    port = free_port()
    env = {
        **os.environ,
        "WIJKWIJS_DATA_DIR": str(data),
        "WIJKWIJS_CORPUS_DIR": str(corpus),
        "WIJKWIJS_EMBEDDING__MODEL_DIR": str(e5_model_dir),
        "WIJKWIJS_CONFIG": str(root / "geen.toml"),  # no wijkwijs.toml from the working folder
    }
    log = (root / "ui.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ui", "--port", str(port)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # our own process group only
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = "chromium/chromedriver ontbreken: apt-get install chromium chromium-driver (make test doet dat)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1050",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("WIJKWIJS_SCREENSHOTS_DIR") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- small selenium helpers ----------------------------------------------------------------


def wait_for(driver, condition, timeout: float = 60):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)


def css(driver, selector: str):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def settled(driver, pause: float = 0.8) -> None:
    """Wait until Streamlit is done running the script (no "running" status widget)."""
    time.sleep(pause)
    wait_for(driver, lambda d: not css(d, "[data-testid=stStatusWidget]"), 120)
    time.sleep(pause)


def assistant_messages(driver):
    return [m for m in css(driver, "[data-testid=stChatMessage]")
            if m.find_elements("css selector", "[data-testid=stChatMessageAvatarAssistant]")]


def ask(driver, question: str) -> tuple[float, object]:
    """Type a question; return the seconds until its answer shows its sources, and the message."""
    from selenium.webdriver.common.keys import Keys

    before = len(assistant_messages(driver))
    box = wait_for(driver, lambda d: next(iter(css(d, "[data-testid=stChatInputTextArea]")), None))
    box.send_keys(question)
    start = time.perf_counter()
    box.send_keys(Keys.ENTER)

    def answered(d):
        messages = assistant_messages(d)
        if len(messages) > before and messages[-1].find_elements("css selector", "[data-testid=stExpander]"):
            return messages[-1]
        return None

    message = wait_for(driver, answered, 90)
    return time.perf_counter() - start, message


def button(driver, label: str):
    return wait_for(driver, lambda d: next((b for b in css(d, "button") if b.text.strip() == label), None))


def webdriver_escape(driver) -> None:
    """Press Escape (closes a popover or a dropdown)."""
    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    time.sleep(0.3)


def choose(driver, label: str, option: str) -> None:
    """Pick one option in the multiselect with this label (type it, Enter)."""
    from selenium.webdriver.common.keys import Keys

    box = next(m for m in css(driver, "[data-testid=stMultiSelect]") if m.text.splitlines()[0].strip() == label)
    field = box.find_element("css selector", "input")
    field.send_keys(option)
    time.sleep(0.3)
    field.send_keys(Keys.ENTER)
    webdriver_escape(driver)


# --- the test --------------------------------------------------------------------------------


def test_the_five_pages_in_a_real_browser(app_url, browser, shots):
    timings = {}

    # Vraag het: the first answer, measured from opening the page.
    opened = time.perf_counter()
    browser.get(app_url)
    waited, message = ask(browser, QUESTION)
    timings["first_answer_after_page_open_s"] = round(time.perf_counter() - opened, 2)
    timings["first_answer_after_enter_s"] = round(waited, 2)
    sources = message.find_elements("css selector", "[data-testid=stExpander] summary")
    assert any(MAGAZINE_TITLE in s.text for s in sources), [s.text for s in sources]
    assert "[1]" in message.text and "waakvlam" in message.text.lower()
    settled(browser)
    sources[0].click()  # open source [1]: the quote with the question's words marked
    wait_for(browser, lambda d: css(d, "[data-testid=stChatMessage] .wijkwijs-passage mark"))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", sources[0])
    time.sleep(0.5)
    browser.save_screenshot(str(shots / "vraag-het.png"))

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

    # Lessen & praktijkvoorbeelden, reached through the sidebar: a card with its sources, then
    # the lessons of one place in their themes.
    links = css(browser, "[data-testid=stSidebarNavLink]")
    titles = [a.text.splitlines()[-1].strip() for a in links]  # the first line is the icon's name
    assert titles == ["Vraag het", "Zoeken", "Lessen & praktijkvoorbeelden", "Beheer", "Evaluatie"], titles
    links[2].click()
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
    browser.save_screenshot(str(shots / "beheer.png"))

    # Evaluatie: a run on the bundled dev set.
    browser.get(f"{app_url}/evaluatie")
    button(browser, "Evaluatie starten").click()
    wait_for(browser, lambda d: "Verloop over de runs" in d.page_source, 300)
    settled(browser)
    assert "Evaluatie klaar" in browser.page_source
    results = next(h for h in css(browser, "h1, h2, h3") if h.text.strip().startswith("Resultaten"))
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", results)
    time.sleep(0.5)
    browser.save_screenshot(str(shots / "evaluatie.png"))

    (shots / "timings.json").write_text(json.dumps(timings, indent=2) + "\n", "utf-8")
    print(f"\nscreenshots: {shots}\ntimings: {timings}")
    assert timings["first_answer_after_page_open_s"] <= FIRST_ANSWER_MAX_S, timings
    assert timings["later_answer_s"] <= LATER_ANSWER_MAX_S, timings
