"""Under DEBUG (`make run`) WhiteNoise serves static files from the finders; the middleware
keeps gzip and brotli copies beside a copy of each text file, so plotly.js travels compressed
there as in production. The copies never change a file's content."""

import gzip
import os
from pathlib import Path

import brotli

from monitor import staticfinders


def test_compressed_copies_hold_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(staticfinders, "CACHE_DIR", tmp_path / "cache")
    source = tmp_path / "app.js"
    source.write_text("var monitor = 1;\n" * 500)
    copy = staticfinders.compressed_copy(str(source))
    assert copy != str(source) and copy.endswith("/app.js")
    data = source.read_bytes()
    assert Path(copy).read_bytes() == data
    assert gzip.decompress(Path(copy + ".gz").read_bytes()) == data
    assert brotli.decompress(Path(copy + ".br").read_bytes()) == data
    assert os.path.getsize(copy + ".br") < len(data) / 10
    # Made once per version of the file; a changed file gets a new copy.
    assert staticfinders.compressed_copy(str(source)) == copy
    source.write_text("var monitor = 22;\n" * 500)
    assert staticfinders.compressed_copy(str(source)) != copy


def test_small_files_and_images_are_served_as_they_are(tmp_path, monkeypatch):
    monkeypatch.setattr(staticfinders, "CACHE_DIR", tmp_path / "cache")
    small = tmp_path / "small.css"
    small.write_text("body{}")
    image = tmp_path / "logo.png"
    image.write_bytes(b"\x89PNG" + b"0" * 5000)
    assert staticfinders.compressed_copy(str(small)) == str(small)
    assert staticfinders.compressed_copy(str(image)) == str(image)
