import pytest
from django.utils import translation

from apps.core.views import page_not_found, permission_denied, server_error


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "服务器错误"), ("en", "Server error")],
)
def test_500_page_is_translated_and_renders_without_context(rf, language, expected):
    with translation.override(language):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert expected in response.content.decode()


@pytest.mark.django_db
def test_403_and_404_pages_are_translated(rf, staff):
    request = rf.get("/")
    request.user = staff

    with translation.override("zh-hans"):
        denied = permission_denied(request).content.decode()
        missing = page_not_found(request).content.decode()

    assert "无权访问" in denied
    assert "页面不存在" in missing
