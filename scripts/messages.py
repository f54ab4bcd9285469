"""Keep the translation catalogues complete and current, without needing msgfmt.

    python scripts/messages.py update   # extract, fill English, compile .mo (needs xgettext)
    python scripts/messages.py check    # fail if a string is missing, untranslated, fuzzy or stale
    python scripts/messages.py compile  # compile .po -> .mo with polib only

Source strings are English; the zh_Hans catalogue carries the Chinese UI and the en catalogue
repeats the English so that both languages are checked the same way.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = ["zh_Hans", "en"]
IGNORES = [".venv/*", "var/*", "tests/*", "node_modules/*", "static/vendor/*", "bench/*", "scripts/*"]


def _po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def _makemessages() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mktdept.settings.test"}
    args = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location", "--no-wrap"]
    for language in LANGUAGES:
        args += ["-l", language]
    for pattern in IGNORES:
        args += ["--ignore", pattern]
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def _fill_english(po: polib.POFile) -> None:
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")


def compile_all() -> None:
    for language in LANGUAGES:
        po = polib.pofile(str(_po_path(language)))
        po.save_as_mofile(str(_po_path(language).with_suffix(".mo")))


def update() -> None:
    _makemessages()
    english = polib.pofile(str(_po_path("en")))
    _fill_english(english)
    english.save()
    compile_all()
    untranslated = polib.pofile(str(_po_path("zh_Hans"))).untranslated_entries()
    print(f"zh_Hans: {len(untranslated)} untranslated entries")  # noqa: T201


def _entries(catalogue) -> dict:
    result = {}
    for entry in catalogue:
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
        result[key] = tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
    return result


def check() -> int:
    problems = []
    backup = Path(tempfile.mkdtemp())
    shutil.copytree(LOCALE, backup / "locale")
    try:
        committed = {lang: polib.pofile(str(_po_path(lang))) for lang in LANGUAGES}
        _makemessages()
        fresh = {lang: polib.pofile(str(_po_path(lang))) for lang in LANGUAGES}
    finally:
        shutil.rmtree(LOCALE)
        shutil.copytree(backup / "locale", LOCALE)
        shutil.rmtree(backup)
    for language in LANGUAGES:
        old_ids = {(e.msgctxt, e.msgid) for e in committed[language] if not e.obsolete}
        new_ids = {(e.msgctxt, e.msgid) for e in fresh[language] if not e.obsolete}
        for _ctxt, msgid in sorted(new_ids - old_ids, key=str):
            problems.append(f"{language}: missing from the catalogue: {msgid!r}")
        for _ctxt, msgid in sorted(old_ids - new_ids, key=str):
            problems.append(f"{language}: no longer used in the code: {msgid!r}")
        for entry in committed[language]:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{language}: fuzzy: {entry.msgid!r}")
            elif not entry.translated():
                problems.append(f"{language}: untranslated: {entry.msgid!r}")
        mo_path = _po_path(language).with_suffix(".mo")
        if not mo_path.exists():
            problems.append(f"{language}: {mo_path.relative_to(ROOT)} is missing")
        elif _entries(polib.mofile(str(mo_path))) != _entries(
            [e for e in committed[language] if e.translated() and "fuzzy" not in e.flags]
        ):
            problems.append(f"{language}: {mo_path.relative_to(ROOT)} is out of date (run: make messages)")
    for problem in problems:
        print(problem)  # noqa: T201
    if problems:
        print(f"Translation check failed: {len(problems)} problems. Run `make messages` and translate.")  # noqa: T201
        return 1
    print("Translation catalogues are complete and current.")  # noqa: T201
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    else:
        sys.exit(check())
