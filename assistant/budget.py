"""A question's budget: how long the server may work on it, and whether its client is still there.

The service checks the budget between its steps (reading the question, retrieval, each subject's
retrieval, composing), so a request whose client left, or that ran past `api.request_budget_s`,
stops at the next step instead of running on. The API sets `cancelled` when the client disconnects.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


class OverBudget(Exception):
    """The question took longer than its budget (the API answers 503)."""


class ClientGone(Exception):
    """The client disconnected; nobody reads the answer any more."""


@dataclass
class Budget:
    seconds: float | None = None
    started: float = field(default_factory=time.monotonic)
    cancelled: threading.Event = field(default_factory=threading.Event)

    def check(self) -> None:
        if self.cancelled.is_set():
            raise ClientGone()
        if self.seconds is not None and time.monotonic() - self.started > self.seconds:
            raise OverBudget(
                f"Deze vraag kostte meer dan {self.seconds:g} s rekentijd en is afgebroken; probeer het "
                "zo opnieuw, of stel een kortere vraag (de server is misschien druk).")
