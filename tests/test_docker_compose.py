"""docker-compose.yml and the Dockerfile, checked as data (no Docker engine runs here).

Where a `docker` client with `compose` exists, `docker compose config` must accept the file too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_neo4j_service_is_neo4j_5_26_with_auth_from_env_a_volume_and_a_healthcheck():
    neo4j = _compose()["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    auth = neo4j["environment"]["NEO4J_AUTH"]
    assert "${NEO4J_PASSWORD" in auth and "${NEO4J_USER" in auth
    assert any(v.endswith(":/data") for v in neo4j["volumes"])
    assert neo4j["healthcheck"]["test"]
    assert all(p.startswith("127.0.0.1:") for p in neo4j["ports"])


def test_app_service_waits_for_a_healthy_neo4j_and_reads_it_from_env():
    compose = _compose()
    app = compose["services"]["app"]
    assert app["build"]["dockerfile"] == "Dockerfile"
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = app["environment"]
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    assert env["NEO4J_PASSWORD"].startswith("${NEO4J_PASSWORD")
    command = " ".join(app["command"])
    assert "ikg build --store neo4j" in command and "ikg app" in command
    assert "neo4j-data" in compose["volumes"]


def test_no_password_is_written_down():
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    for line in text.splitlines():
        if "PASSWORD" in line and ":" in line and not line.lstrip().startswith("#"):
            value = line.split(":", 1)[1]
            assert "${" in value or "NEO4J_PASSWORD" not in line.split(":", 1)[0], line
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert re.search(r"^NEO4J_PASSWORD=", example, re.M)


def test_everything_the_dockerfile_copies_exists():
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    base = next(ln for ln in lines if ln.startswith("FROM"))
    assert base.startswith("FROM python:3.11")
    copied = []
    for line in lines:
        if line.startswith("COPY "):
            copied.extend(line.split()[1:-1])
    assert copied
    for src in copied:
        assert (ROOT / src).exists(), src
    assert any(ln.startswith("RUN pip install -r requirements.txt") for ln in lines)


def test_docker_compose_config_accepts_it_when_docker_is_installed():
    docker = shutil.which("docker")
    if docker is None:
        return  # no Docker client here: the structural tests above are what can be checked
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        return  # a docker client without the compose plugin
    proc = subprocess.run(
        [docker, "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        env={"NEO4J_PASSWORD": "example-only", "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
