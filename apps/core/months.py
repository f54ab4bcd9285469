import datetime

from django.utils import timezone


def parse_month(value: str | None) -> tuple[int, int, bool]:
    """Parse ``YYYY-MM``; return (year, month, valid). A bad value gives the current month."""
    today = timezone.localdate()
    if value:
        try:
            parsed = datetime.datetime.strptime(value, "%Y-%m")  # noqa: DTZ007 - a calendar month, no time
        except ValueError:
            return today.year, today.month, False
        if 2000 <= parsed.year <= today.year + 1:
            return parsed.year, parsed.month, True
        return today.year, today.month, False
    return today.year, today.month, True


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_value(year: int, month: int, delta: int = 0) -> str:
    """Return ``YYYY-MM`` for the month ``delta`` months away."""
    year, month = shift_month(year, month, delta)
    return f"{year:04d}-{month:02d}"
