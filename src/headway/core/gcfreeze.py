"""Keep the garbage collector off the objects that every request shares.

A full collection walks every object the collector tracks. After its first requests a Headway
process holds about 140,000 of them: the functions, classes, schemas, URL patterns and templates
of Django, django-ninja, pydantic and Headway itself. Walking them takes about 100 ms on the
2-core machine, and CPython starts a full collection every few requests that allocate a lot (a
roadmap, the product page), so that pause landed on one request in seven: the difference
between a roadmap export's p50 (120 ms) and its p95 (280 ms).

Those objects live as long as the process, so after each of the first ``WARM_REQUESTS``
requests (which load the lazily built parts) everything alive is moved to the collector's
permanent generation with ``gc.freeze()``, as the Python documentation suggests for long-running
servers. Reference counting still frees those objects when they go; only the cycle search skips
them. What later requests allocate is collected as before, and a full collection takes well
under a millisecond.
"""

from __future__ import annotations

import gc
from typing import Any

#: Requests after which the process's objects are frozen.
WARM_REQUESTS = 10

_finished = 0


def freeze_after_warm_up(**_: Any) -> None:
    """A ``request_finished`` receiver: freeze after each of the first ``WARM_REQUESTS``."""
    global _finished  # noqa: PLW0603 - one counter per process, by design
    if _finished < WARM_REQUESTS:
        _finished += 1
        gc.freeze()
