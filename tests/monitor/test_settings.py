"""Production settings are safe by default: DEBUG off, check --deploy clean, no demo users."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "DEMO_MODE",
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="monitor.example.nl",
        # An empty database of its own: a laptop's demo database has the demo users, which
        # monitor.E001 refuses outside DEMO_MODE (tested below).
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "secret",
    [
        "django-insecure-only-for-local-demo-never-in-production",
        "django-insecure-" + "k" * 50,
        "too-short-secret",
        "x" * 60,
        "changeme",
    ],
)
def test_without_debug_a_default_or_weak_secret_key_is_refused(secret):
    result = run_manage("check", ALLOWED_HOSTS="monitor.example.nl", SECRET_KEY=secret)
    assert result.returncode != 0
    assert "SECRET_KEY is a default or too weak" in result.stderr


def test_demo_users_without_demo_mode_stop_the_start(tmp_path):
    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env = {
        "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "monitor.example.nl",
        "DATABASE_URL": database,
    }
    assert run_manage("migrate", "--no-input", **env).returncode == 0
    created = run_manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('manager', password='demo')",
        **env,
    )
    assert created.returncode == 0, created.stderr
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "monitor.E001" in result.stderr


def test_without_debug_a_secret_key_is_required():
    result = run_manage("check", ALLOWED_HOSTS="monitor.example.nl")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_set():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.DEMO_MODE)",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="monitor.example.nl",
    )
    assert result.stdout.strip().splitlines()[-1] == "False False", result.stderr


@pytest.mark.django_db
def test_an_empty_database_url_means_the_sqlite_default():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="monitor.example.nl",
        DATABASE_URL="",
    )
    assert result.stdout.strip().splitlines()[-1] == "django.db.backends.sqlite3", result.stderr


@pytest.mark.django_db
def test_load_demo_refuses_without_demo_mode(settings):
    from django.contrib.auth import get_user_model

    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("load_demo")
    assert not get_user_model().objects.filter(username="coordinator").exists()


def test_dutch_is_the_default_language_and_amsterdam_the_time_zone(settings):
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _name in settings.LANGUAGES] == ["nl", "en"]
    assert settings.TIME_ZONE == "Europe/Amsterdam"
