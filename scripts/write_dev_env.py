"""Write a development .env (debug on, a fresh secret key) unless one exists."""

import secrets
from pathlib import Path

path = Path(__file__).resolve().parent.parent / ".env"
if not path.exists():
    path.write_text(
        "# Written by `make run` for development; see .env.example for production.\n"
        "DJANGO_DEBUG=true\n"
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n",
        encoding="utf-8",
    )
    print(f"Wrote {path}")  # noqa: T201
