from django.utils import translation

from apps.core.text import join_messages


def test_chinese_sentences_are_joined_without_a_space():
    with translation.override("zh-hans"):
        assert join_messages(["日期已满。", " 请另选日期。"]) == "日期已满。请另选日期。"


def test_english_sentences_are_joined_with_one_space():
    with translation.override("en"):
        assert join_messages(["The day is full.", "Pick another day. "]) == "The day is full. Pick another day."


def test_blank_messages_are_dropped():
    with translation.override("en"):
        assert join_messages(["", "  ", "One."]) == "One."
