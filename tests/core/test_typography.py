"""Chinese UI text: no spaces between CJK and names or numbers, full-width punctuation (issue 8)."""

import re
from pathlib import Path

import polib
import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’、]"
SPACE_AFTER_CJK = re.compile(rf"{CJK} +(?:%\(|[A-Za-z0-9])")
SPACE_BEFORE_CJK = re.compile(rf"(?:\)s|\)d|[A-Za-z0-9]) +{CJK}")
HALF_WIDTH_NEXT_TO_CJK = re.compile(rf"{CJK}[,:;()?!]|[,:;(?!]{CJK}")


CODE = re.compile(r"<code>.*?</code>")


def _entries():
    return [e for e in polib.pofile(str(CATALOGUE)) if not e.obsolete and (e.msgstr or any(e.msgstr_plural.values()))]


def _prose(entry) -> str:
    """The translation without literal examples (``<code>…</code>``), which keep their own characters.

    A plural entry's forms are joined: Chinese has one form, but each is checked.
    """
    text = " / ".join(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr
    return CODE.sub("", text)


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def test_every_translation_uses_the_placeholders_of_its_source():
    """A translation reused from another message (a fuzzy match) names other placeholders: KeyError at run time."""
    wrong = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete:
            continue
        source = set(PLACEHOLDER.findall(entry.msgid + " " + (entry.msgid_plural or "")))
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            used = set(PLACEHOLDER.findall(form))
            if not used <= source or (not entry.msgid_plural and used != source):
                wrong.append((entry.msgid, form))
    assert wrong == []


def test_no_entry_is_fuzzy():
    assert [e.msgid for e in polib.pofile(str(CATALOGUE)) if "fuzzy" in e.flags and not e.obsolete] == []


def test_catalogue_is_read():
    assert len(_entries()) > 500


@pytest.mark.parametrize(
    ("pattern", "sample"),
    [
        (SPACE_AFTER_CJK, "已提交给 %(name)s"),
        (SPACE_BEFORE_CJK, "%(name)s 的申请"),
        (HALF_WIDTH_NEXT_TO_CJK, "说明:请阅读"),
    ],
)
def test_the_checks_catch_what_they_look_for(pattern, sample):
    assert pattern.search(sample)


def test_no_space_between_chinese_and_names_or_numbers():
    offenders = [
        _prose(e) for e in _entries() if SPACE_AFTER_CJK.search(_prose(e)) or SPACE_BEFORE_CJK.search(_prose(e))
    ]
    assert offenders == []


def test_full_width_punctuation_next_to_chinese():
    offenders = [_prose(e) for e in _entries() if HALF_WIDTH_NEXT_TO_CJK.search(_prose(e))]
    assert offenders == []
