"""Benchmark of the Excel import: 5.000 rows read, checked and written, then imported again.

Builds its own programme, projects and indicators inside a transaction that is rolled back
at the end, so it can run against any database (`DEBUG=true manage.py benchmark_import`)
without leaving anything behind. Prints the time and the number of queries per step.
"""

from __future__ import annotations

import datetime
import io
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from programmes import imports
from programmes.models import Indicator, Programme, Project, Region, ReportingPeriod


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Meet hoe snel de Excel-import 5.000 rijen verwerkt (alles wordt teruggedraaid)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=5000, help="aantal indicatorrijen")
        parser.add_argument("--per-project", type=int, default=10, help="indicatoren per project")
        parser.add_argument(
            "--budget-years", type=int, default=2, help="begrotingsjaren per project"
        )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                self._run(options)
                raise _Rollback
        except _Rollback:
            self.stdout.write("Alle benchmarkgegevens zijn teruggedraaid.")

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
