"""The "Maak rapportage" form for report bundles, on the national page and the Rapporten
page. Takes plain values the page already has: it never queries the database."""

from __future__ import annotations

import datetime

from django import template

register = template.Library()


def _dates(peildata) -> list[datetime.date]:
    found = {getattr(item, "peildatum", item) for item in peildata or ()}
    return sorted((d for d in found if isinstance(d, datetime.date)), reverse=True)


@register.inclusion_tag("reports/jobs/_request_form.html")
def bundle_buttons(*, peildata=(), region=None, chosen=None):
    """`peildata`: dates, or objects with a peildatum; `region`: an object with code, name
    and (on the Rapporten page) programmes with periods, or None for every region."""
    if region is not None and not peildata:
        peildata = [period for programme in region.programmes for period in programme.periods]
    code = getattr(region, "code", "") if region is not None else ""
    return {
        "region_code": code,
        "region_name": getattr(region, "name", "") if region is not None else "",
        "peildata": _dates(peildata),
        "chosen": chosen,
        "form_id": f"bundel-{code or 'landelijk'}",
    }
