"""Schemathesis hooks for fuzzing a running server: one more check on every response.

    SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH=tests \
        schemathesis run http://127.0.0.1:8000/openapi.json --checks all --max-time 180

`security_headers` fails any response (a 4xx, a 429, a 500 included) that lacks the headers
every response must carry.
"""

from __future__ import annotations

from typing import Any

import schemathesis

REQUIRED = ("x-content-type-options", "referrer-policy", "permissions-policy", "content-security-policy", "cache-control")


@schemathesis.check
def security_headers(ctx: Any, response: Any, case: Any) -> bool | None:
    present = {name.lower() for name in response.headers}
    missing = [name for name in REQUIRED if name not in present]
    if missing:
        raise AssertionError(f"{response.status_code} response without {', '.join(missing)}")
    return None
