# The browser and the demo-data fixtures of every browser test (``tests/e2e/support.py``).
from tests.e2e.support import browser, demo_now  # noqa: F401
