"""Each test starts in the default language, whatever an earlier test's request left active."""

from django.utils import translation


def test_a_request_in_english_leaves_english_active_for_the_thread(client_for, staff):
    staff.language = "en"
    staff.save(update_fields=["language"])
    client_for(staff).get("/")
    # Expected: the middleware activates the user's language for the thread and leaves it there.
    assert translation.get_language() == "en"


def test_the_next_test_starts_in_chinese():
    assert translation.get_language() == "zh-hans"
