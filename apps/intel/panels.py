def register() -> None:
    """Register the intelligence panels of the dashboard."""
