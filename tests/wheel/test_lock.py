"""requirements.lock pins every dependency `make setup` installs: each of pyproject.toml's
requirements (runtime, the dev extra and the build backend) with a version its specifier
allows and the sha256 of its files, and the environment the tests run in holds exactly those
versions (so the report bytes the tests pin are the ones every fresh install renders)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^ ;\\]+)(?: ; (?P<marker>[^\\]+?))? \\$"
)


def locked() -> dict[str, tuple[Version, int]]:
    """Each pin of the lock that applies here: canonical name -> (version, number of hashes)."""
    pins: dict[str, tuple[Version, int]] = {}
    name = ""
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            marker = match["marker"]
            applies = not marker or Marker(marker).evaluate()
            name = canonicalize_name(match["name"]) if applies else ""
            if name:
                pins[name] = (Version(match["version"]), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
        else:
            assert not re.match(r"^[A-Za-z0-9]", line), f"lock line not understood: {line}"
    return pins


def test_every_requirement_is_pinned_with_hashes() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [
        *pyproject["project"]["dependencies"],
        *pyproject["project"]["optional-dependencies"]["dev"],
        *pyproject["build-system"]["requires"],
    ]
    pins = locked()
    assert len(pins) > len(requirements)  # their dependencies are pinned too
    for text in requirements:
        requirement = Requirement(text)
        version, _ = pins[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), (text, version)
    assert all(hashes >= 1 for _, hashes in pins.values())


def installed(name: str) -> Version | None:
    try:
        return Version(metadata.version(name))
    except metadata.PackageNotFoundError:
        return None


def test_installed_versions_are_the_locked_ones() -> None:
    """Fails in a virtual environment made before the lock changed: run `make setup`. (A locked
    tool such an environment never installed, like the build backend, is not looked for.)"""
    mismatched = {
        name: (str(version), str(installed(name)))
        for name, (version, _) in locked().items()
        if installed(name) not in (version, None)
    }
    assert mismatched == {}
    assert installed("weasyprint") is not None
