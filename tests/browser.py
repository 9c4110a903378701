"""Shared by the browser test and the browser benchmark: `wijkwijs ui` as a child process and
headless Chromium (selenium + Debian's chromium/chromium-driver) with a few Streamlit-aware helpers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests import ports

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def chromium_available() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


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


@contextmanager
def running_ui(env: dict[str, str], log_path: Path):
    """`wijkwijs ui` on a free port with these environment settings; yields its URL once healthy."""
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "ui", "--port", str(port)],
            cwd=REPO, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
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


def start_chromium(user_data_dir: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1050", f"--user-data-dir={user_data_dir}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def wait_for(driver, condition, timeout: float = 60):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # Streamlit redraws while a condition looks at the page: an element gone stale is "not yet"
    return WebDriverWait(driver, timeout, poll_frequency=0.1,
                         ignored_exceptions=(StaleElementReferenceException,)).until(condition)


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
        # done when its sources are drawn: the copy button of an answer, or the closest
        # passages (expanders) of a refusal
        messages = assistant_messages(d)
        if len(messages) > before and messages[-1].find_elements(
                "css selector", "[data-testid=stPopover], [data-testid=stExpander]"):
            return messages[-1]
        return None

    message = wait_for(driver, answered, 90)
    return time.perf_counter() - start, message


def button(driver, label: str):
    # a button with an icon reads "icon_name\nLabel": the label is its last line
    return wait_for(driver, lambda d: next((b for b in css(d, "button")
                                            if b.text.strip().splitlines()[-1:] == [label]), None))


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


# Streamlit's own English texts that must never show (the app replaces or hides them: ui/style.py).
# Case-sensitive whole words: icon names ("upload", "search") are lower case ligatures.
ENGLISH_UI = ["Select all", "matches", "Choose an option", "Upload", "Browse files", "Drag and drop",
              "Page not found", "Skip to main content", "Press Enter", "per file", "No results",
              "No options", "Running", "Search", "Download", "Submit", "Cancel", "Close"]


def english_words(driver) -> list[str]:
    """The ENGLISH_UI words in the page as displayed (innerText: nothing hidden by CSS)."""
    import re

    text = driver.execute_script("return document.body.innerText")
    return [w for w in ENGLISH_UI if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
