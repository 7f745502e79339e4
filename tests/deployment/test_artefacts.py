"""The deployment files name only commands, settings and files that exist.

The container image cannot be built where the tests run (no image registry), so its definition,
the compose file, the systemd units, the Procfile and the environment example are read here and
checked against the code: every management command they start exists, every variable they set is
read by the settings or the gunicorn configuration, every path they use is in the repository.
"""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
#: Variables read by the product (settings, gunicorn configuration, the runner scripts).
SOURCES = [
    ROOT / "academy" / "settings.py",
    ROOT / "academy" / "gunicorn_conf.py",
    ROOT / "bin" / "academy-services",
    ROOT / "bin" / "academy-manage",
]


def read_variables() -> set[str]:
    text = "\n".join(path.read_text() for path in SOURCES)
    return set(re.findall(r"\b([A-Z][A-Z0-9_]{2,})\b", text))


def manage_commands(command_line: str) -> list[str]:
    """Management commands a command line runs (``manage.py X`` or ``academy-manage X``)."""
    words = shlex.split(command_line.replace(";", " ; ").replace("&&", " && "))
    return [words[i + 1] for i, word in enumerate(words[:-1]) if word.endswith(("manage.py", "academy-manage"))]


def test_every_variable_of_the_environment_example_is_read_by_the_product():
    example = (DEPLOY / "academy.env.example").read_text()
    names = {line.split("=", 1)[0].lstrip("#") for line in example.splitlines() if re.match(r"^#?[A-Z_]+=", line)}
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "ACADEMY_TASK_BACKEND", "ACADEMY_STORAGE"} <= names
    assert names - read_variables() == set()


def test_the_compose_file_runs_web_workers_periodic_work_and_every_service():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "s3", "s3-bucket", "migrate", "web", "worker", "periodic"} <= set(services)
    for name in ("migrate", "web", "worker", "periodic"):
        service = services[name]
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        environment = service["environment"]
        assert environment["ACADEMY_TASK_BACKEND"] == "redis" and environment["ACADEMY_STORAGE"] == "s3"
        assert set(environment) - read_variables() == set()
        command = service.get("command")
        if command:
            line = " ".join(command)
            assert set(manage_commands(line)) <= set(get_commands()), line
    assert services["worker"]["deploy"]["replicas"] == 2
    assert "--appendonly" in services["redis"]["command"]
    assert "anonymous set none" in services["s3-bucket"]["command"][0]


def test_the_image_installs_the_pinned_requirements_and_weasyprint_libraries():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert 'CMD ["gunicorn", "--config", "python:academy.gunicorn_conf", "academy.wsgi"]' in dockerfile
    assert "USER academy" in dockerfile
    assert "/healthz" in dockerfile


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")))
def test_systemd_units_start_existing_commands_with_the_environment_file(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / unit)
    service = parser["Service"]
    assert service["EnvironmentFile"] == "/etc/academy/academy.env"
    assert service["User"] == "academy"
    command = service["ExecStart"]
    assert set(manage_commands(command)) <= set(get_commands()), command
    assert "manage.py" in command or "gunicorn --config python:academy.gunicorn_conf academy.wsgi" in command
    timer = DEPLOY / "systemd" / unit.replace(".service", ".timer")
    assert timer.exists() or "[Install]" in (DEPLOY / "systemd" / unit).read_text()


def test_the_procfile_and_runner_start_the_same_three_processes():
    procfile = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line)
    assert set(procfile) == {"web", "worker", "periodic"}
    for line in procfile.values():
        assert set(manage_commands(line)) <= set(get_commands()), line
    runner = (ROOT / "bin" / "academy-services").read_text()
    assert 'gunicorn" --config python:academy.gunicorn_conf academy.wsgi' in runner
    assert "manage.py run_worker" in runner and "manage.py run_periodic_work" in runner


def test_the_deployment_guide_names_files_that_exist():
    guide = (ROOT / "docs" / "deployment.md").read_text()
    for path in re.findall(r"`((?:deploy|bin)/[\w./@-]+)`", guide):
        assert (ROOT / path).exists(), path
