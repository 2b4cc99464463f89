"""What anyone may read without an account: the funds, their rules and calendar, and the pages
every fund must publish (privacy notice, accessibility statement, imprint, Leichte Sprache)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import selectors
from ..models import Fund, FundPage


def public_funds(request):
    """The start page: every fund that publishes a page, with a link to apply."""
    return render(request, "public/funds.html", {"funds": selectors.public_funds()})


def public_fund(request, slug):
    fund = get_object_or_404(Fund, slug=slug)
    return render(request, "public/fund.html", selectors.public_fund_facts(fund))


def public_page(request, kind):
    """A mandatory page of every fund (usually there is one fund)."""
    if kind not in FundPage.Kind.values:
        raise Http404
    pages = list(FundPage.objects.filter(kind=kind).select_related("fund").order_by("fund__name"))
    return render(request, "public/page.html", {"pages": pages, "kind": FundPage.Kind(kind)})
