"""Serve the plotly.js that the plotly package ships, from our own static files.

The dashboard draws its charts with plotly.js and must not load it from a CDN (no network
at run time). This finder exposes exactly one file, `vendor/plotly/plotly.min.js`, from the
installed plotly package, so that `{% static %}`, runserver, whitenoise and collectstatic all
find it without copying it into the repository. It exposes nothing else of the package.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PACKAGE_DATA = Path(plotly.__file__).resolve().parent / "package_data"
FILE_NAME = "plotly.min.js"
PREFIX = "vendor/plotly"
STATIC_PATH = f"{PREFIX}/{FILE_NAME}"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=PACKAGE_DATA)
        self.storage.prefix = PREFIX  # collectstatic copies to vendor/plotly/plotly.min.js

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == STATIC_PATH and (PACKAGE_DATA / FILE_NAME).is_file():
            match = str(PACKAGE_DATA / FILE_NAME)
            return [match] if find_all or kwargs.get("all") else match
        return []  # as Django's own finders answer "not here"

    def list(self, ignore_patterns):
        if (PACKAGE_DATA / FILE_NAME).is_file():
            yield FILE_NAME, self.storage
