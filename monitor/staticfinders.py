"""Serve the plotly.js that the plotly package ships, from our own static files.

The dashboard draws its charts with plotly.js and must not load it from a CDN (no network
at run time). This finder exposes exactly one file, `vendor/plotly/plotly.min.js`, from the
installed plotly package, so that `{% static %}`, runserver, whitenoise and collectstatic all
find it without copying it into the repository. It exposes nothing else of the package.

In production `collectstatic` writes every file with a gzip and a brotli copy beside it
(whitenoise's CompressedManifestStaticFilesStorage; the `brotli` package is installed), and
whitenoise sends the smallest one the browser accepts: plotly.min.js goes over the wire as
about 1.1 MB instead of 4.8 MB. With DEBUG (`make run`) whitenoise serves files straight from
the finders, where no compressed copy lies beside them; `CompressingWhiteNoiseMiddleware`
keeps one per file in a cache directory, made on the first request, so the demo is as light
as production. It never changes a file's content, only its encoding.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import brotli
import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage
from whitenoise.middleware import WhiteNoiseMiddleware

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


# Text formats worth compressing; images and fonts are compressed already.
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".map", ".txt", ".html")
CACHE_DIR = Path(tempfile.gettempdir()) / "arbeidsmarktmonitor-static"


def compressed_copy(path: str) -> str:
    """The path of a copy of `path` with `.gz` and `.br` files beside it (made once per
    version of the file, written atomically), or `path` itself for a file not worth it."""
    source = Path(path)
    if source.suffix not in COMPRESSIBLE:
        return path
    stat = source.stat()
    if stat.st_size < 1024:
        return path
    version = hashlib.sha256(f"{source}:{stat.st_mtime_ns}:{stat.st_size}".encode()).hexdigest()
    target = CACHE_DIR / version[:24] / source.name
    if (target.parent / (source.name + ".br")).is_file():
        return str(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = source.read_bytes()
    for suffix, content in (
        ("", data),
        (".gz", gzip.compress(data, compresslevel=9, mtime=0)),
        # Quality 9: within a few per cent of the smallest (11) at a tenth of the time.
        (".br", brotli.compress(data, quality=9)),
    ):
        partial = target.parent / f".{source.name}{suffix}.{os.getpid()}"
        partial.write_bytes(content)
        os.replace(partial, target.parent / (source.name + suffix))
    shutil.copystat(source, target)
    return str(target)


class CompressingWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise that, when it serves from the finders (DEBUG), serves each text file from a
    compressed copy (`compressed_copy`), so gzip and brotli work under `make run` too. Served
    from STATIC_ROOT (production) it is plain WhiteNoise."""

    def candidate_paths_for_url(self, url):
        for path in super().candidate_paths_for_url(url):
            yield compressed_copy(path) if self.use_finders else path
