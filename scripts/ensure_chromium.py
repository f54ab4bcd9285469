"""Make sure Debian's Chromium is there for the browser tests; install it when we are root.

Outside CI a machine without Chromium only gets a warning (the browser tests then skip);
in CI (CI=true) a missing Chromium is an error.
"""

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    if os.path.exists(CHROMIUM):
        return 0
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        print("Installing Debian's chromium for the browser tests ...")  # noqa: T201
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update", "-qq"], check=False, env=env)  # noqa: S603
        subprocess.run(  # noqa: S603
            [apt, "install", "-y", "-qq", "chromium", "chromium-driver"], check=False, env=env
        )
    if os.path.exists(CHROMIUM):
        return 0
    message = f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests."
    if os.environ.get("CI"):
        print(f"ERROR: {message}")  # noqa: T201
        return 1
    print(f"WARNING: {message} They will be skipped.")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
