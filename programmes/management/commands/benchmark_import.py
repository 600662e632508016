"""Benchmark of the Excel import: 5.000 rows read, checked and written, then imported again.

Builds its own programme, projects and indicators inside a transaction that is rolled back
at the end, so it can run against any database (`DEBUG=true manage.py benchmark_import`)
without leaving anything behind. Prints the time and the number of queries per step.

`--bomb` measures the refusal of a "cell bomb" instead (`cell_bomb`: 200 KB that unpacks to
40 MB of cells): time, Python memory (tracemalloc) and the process's peak memory.
"""

from __future__ import annotations

import datetime
import io
import resource
import time
import tracemalloc
import zipfile

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from programmes import imports
from programmes.models import Indicator, Programme, Project, Region, ReportingPeriod


class _Rollback(Exception):
    pass


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)


def cell_bomb(rows: int = 131_493, columns: int = 20) -> bytes:
    """A valid .xlsx with one sheet of `rows` x `columns` numeric cells, highly compressed.

    The defaults are the file of issue 10: about 200 KB, 39 MB unpacked. The sheet's
    <dimension> and the header row's `spans` say A1 only, the cells carry no `r`: what the
    file says about its own size is not true. Written as a stream: building it costs little.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC_RELS}/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><sheets><sheet '
            f'name="{imports.SHEET_INDICATORS}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC_RELS}/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            headers = (imports.COL_CODE, imports.COL_INDICATOR, imports.COL_VALUE)
            header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in headers)
            sheet.write(
                f'<worksheet xmlns="{_MAIN}"><dimension ref="A1"/><sheetData>'
                f'<row spans="1:1">{header}</row>'.encode()
            )
            row = ("<row>" + "<c><v>1</v></c>" * columns + "</row>").encode()
            for start in range(0, rows, 1000):
                sheet.write(row * min(1000, rows - start))
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Meet hoe snel de Excel-import 5.000 rijen verwerkt (alles wordt teruggedraaid)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5000, help="aantal indicatorrijen")
        parser.add_argument("--per-project", type=int, default=10, help="indicatoren per project")
        parser.add_argument(
            "--budget-years", type=int, default=2, help="begrotingsjaren per project"
        )
        parser.add_argument(
            "--bomb", action="store_true", help="meet de weigering van een celbom (cell_bomb)"
        )

    def handle(self, *args, **options):
        if options["bomb"]:
            self._bomb()
            return
        try:
            with transaction.atomic():
                self._run(options)
                raise _Rollback
        except _Rollback:
            self.stdout.write("Alle benchmarkgegevens zijn teruggedraaid.")

    def _bomb(self) -> None:
        content = cell_bomb()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
        peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        start, cpu_start = time.perf_counter(), time.process_time()
        message, scan = self._refusal(content)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        # Measured apart: tracemalloc slows every allocation down several times.
        tracemalloc.start()
        self._refusal(content)
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.stdout.write(
            f"celbom: {len(content) / 1024:.0f} KB, uitgepakt {unpacked / 1024 / 1024:.1f} MB; "
            f"geweigerd in {seconds:.2f} s (cpu {cpu:.2f} s) "
            f"na {scan.bytes_read / 1024 / 1024:.1f} MB en "
            f"{scan.cells} cellen; tracemalloc-piek {traced_peak / 1024 / 1024:.1f} MB, "
            f"procespiek {peak_before / 1024:.0f} -> {peak_after / 1024:.0f} MB.\n{message}"
        )

    @staticmethod
    def _refusal(content: bytes):
        try:
            imports.read_workbook(content, filename="celbom.xlsx")
        except imports.ImportRefused as refused:
            return refused.messages[0], refused.__cause__.scan
        raise CommandError("De celbom is niet geweigerd.")

    def _run(self, options) -> None:
        rows, per_project = options["rows"], options["per_project"]
        projects_count = max(1, -(-rows // per_project))
        region = Region.objects.create(code="benchmark-import", name="Benchmark import")
        programme = Programme.objects.create(
            region=region,
            slug="benchmark-import",
            name="Benchmark import",
            start_date=datetime.date(2021, 1, 1),
            end_date=datetime.date(2022, 12, 31),
        )
        period = ReportingPeriod.objects.create(
            programme=programme, peildatum=datetime.date(2021, 7, 1)
        )
        user = get_user_model().objects.create(username="benchmark-import-manager")
        programme.managers.add(user)
        projects = Project.objects.bulk_create(
            Project(programme=programme, code=f"P{n:04d}", title=f"Project {n}")
            for n in range(projects_count)
        )
        Indicator.objects.bulk_create(
            Indicator(project=p, name=f"Indicator {i}", target_value=1000)
            for p in projects
            for i in range(per_project)
        )
        years = [2021 + y for y in range(options["budget_years"])]

        def workbook(offset: int) -> bytes:
            book = Workbook()
            ws = book.active
            ws.title = imports.SHEET_INDICATORS
            ws.append(["Projectcode", "Indicator", "Realisatie", "Toelichting"])
            written = 0
            for p in projects:
                for i in range(per_project):
                    if written == rows:
                        break
                    # Half of the values as Dutch-typed text, half as numeric cells.
                    value = f"{offset + written}" if written % 2 else offset + written + 0.5
                    ws.append([p.code, f"Indicator {i}", value, "Geïmporteerd"])
                    written += 1
            budget = book.create_sheet(imports.SHEET_BUDGET)
            budget.append(["Projectcode", "Jaar", "Begroting", "Uitgaven", "Prognose"])
            for p in projects:
                for year in years:
                    budget.append([p.code, year, "€ 1.610.000,50", offset + 1000, None])
            buffer = io.BytesIO()
            book.save(buffer)
            return buffer.getvalue()

        budget_rows = len(projects) * len(years)
        self.stdout.write(
            f"{rows} indicatorrijen en {budget_rows} begrotingsrijen, {len(projects)} projecten, "
            f"database {connection.vendor}."
        )
        first = workbook(0)
        changed = workbook(7)
        for label, content in (
            ("eerste import (alles nieuw)", first),
            ("zelfde bestand nogmaals (niets verandert)", first),
            ("alle waarden gewijzigd", changed),
        ):
            self._measure(label, content, programme=programme, period=period, user=user)

    def _measure(self, label, content, *, programme, period, user) -> None:
        timings = {}
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            parsed = imports.read_workbook(content, filename="benchmark.xlsx")
            timings["lezen"] = time.perf_counter() - start
            start = time.perf_counter()
            plan = imports.plan_import(parsed=parsed, programme=programme, period=period, user=user)
            timings["controleren (voorbeeld)"] = time.perf_counter() - start
            start = time.perf_counter()
            result = imports.apply_import(
                parsed=parsed,
                programme=programme,
                period=period,
                user=user,
                expected_fingerprint=plan.fingerprint,
            )
            timings["opslaan"] = time.perf_counter() - start
        total = sum(timings.values())
        details = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings.items())
        self.stdout.write(
            f"{label}: {total:.2f} s ({details}); {len(queries)} queries; "
            f"{result.created_values} nieuw, {result.updated_values} gewijzigd, "
            f"{result.unchanged_rows} ongewijzigde rijen."
        )
