"""The conda environments take their versions from requirements.txt, the one list of pins."""

import pytest
import yaml

from conftest import REPO

PINS = {
    line.split("==")[0].lower(): line.split("==")[1]
    for line in (REPO / "requirements.txt").read_text().splitlines()
    if "==" in line
}


@pytest.mark.parametrize("env", sorted((REPO / "envs").glob("*.yaml")), ids=lambda p: p.name)
def test_every_package_of_an_env_is_pinned_in_requirements(env):
    dependencies = yaml.safe_load(env.read_text())["dependencies"]
    pip = next(item["pip"] for item in dependencies if isinstance(item, dict))
    assert pip[0] == "-c ../requirements.txt"
    packages = pip[1:]
    assert packages and all(package.lower() in PINS for package in packages), packages
