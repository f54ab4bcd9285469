"""Alerts to followers when an item is filed. Filled in by the alerts work.

Services call :func:`alerts_item_filed` from ``transaction.on_commit`` after a report or a price
observation is filed; it must notify only people cleared for the item.
"""


def alerts_item_filed(*, model: str, pk: int) -> None:
    """Queue alerts for the new item ``model`` ("report" or "price") with primary key ``pk``."""
    return None
