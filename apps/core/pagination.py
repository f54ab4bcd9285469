from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int | None = None, *, count: int | None = None):
    """Return the requested page; a missing or bad page number gives the nearest valid page.

    ``count``: the number of rows when the caller already knows it (from an aggregate it runs
    anyway) or has counted only up to a cap (a search that stops counting at 200 matches); the
    paginator then runs no ``COUNT`` of its own and offers no page beyond ``count`` rows.
    """
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    if count is not None:
        # ``Paginator.count`` is a cached property: setting it is what counting would have stored.
        paginator.count = max(int(count), 0)
    return paginator.get_page(request.GET.get("page"))
