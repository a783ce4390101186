"""The conda environments: pinned as requirements.txt pins them, holding every package their
rules' scripts import, and resolvable from a copy of the file elsewhere, as Snakemake builds
them (it copies each env file to .snakemake/conda/<hash>.yaml first). No conda channel is
reachable here: pip's resolution of each env's pip list is as far as a test can go."""

import ast
import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import REPO

PINS = {
    line.split("==")[0].lower(): line.split("==")[1]
    for line in (REPO / "requirements.txt").read_text().splitlines()
    if "==" in line
}
ENVS = sorted((REPO / "envs").glob("*.yaml"))
# Import names that are not their package's name.
PACKAGE_OF = {"PIL": "pillow", "sklearn": "scikit-learn"}


def pip_list(env) -> list[str]:
    dependencies = yaml.safe_load(env.read_text())["dependencies"]
    return next(item["pip"] for item in dependencies if isinstance(item, dict))


@pytest.mark.parametrize("env", ENVS, ids=lambda p: p.name)
def test_every_package_of_an_env_is_pinned_as_requirements_pins_it(env):
    packages = pip_list(env)
    assert packages
    for package in packages:
        name, _, version = package.partition("==")
        assert PINS.get(name.lower()) == version, package


def module_level_imports(path) -> set[str]:
    """The top-level packages a module imports when it is loaded (not inside functions)."""
    found = set()

    def visit(statements):
        for node in statements:
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
            elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    visit(getattr(node, field, []))

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def rules_scripts_envs():
    """(rule, script, env) of every rule with a script and a conda env."""
    found = []
    for smk in sorted((REPO / "rules").glob("*.smk")):
        for block in re.split(r"\n(?=(?:rule|checkpoint) \w+:)", smk.read_text()):
            name = re.match(r"(?:rule|checkpoint) (\w+):", block)
            env = re.search(r'conda:\n\s+"\.\./envs/([\w.]+)"', block)
            script = re.search(r'script:\n\s+"\.\./scripts/([\w.]+)"', block)
            if name and env and script:
                found.append((name[1], script[1], env[1]))
    return found


@pytest.mark.parametrize("rule, script, env", rules_scripts_envs(), ids=lambda v: str(v))
def test_a_rule_s_env_holds_every_package_its_script_imports(rule, script, env):
    sys.path.insert(0, str(REPO / "scripts"))
    from convlab.imports import library_closure

    entry = REPO / "scripts" / script
    modules = [entry, *library_closure(entry, REPO / "scripts" / "convlab", frozenset())]
    imported = set().union(*map(module_level_imports, modules)) - set(sys.stdlib_module_names)
    needed = {PACKAGE_OF.get(name, name).lower() for name in imported - {"convlab", "snakemake"}}
    held = {package.partition("==")[0].lower() for package in pip_list(REPO / "envs" / env)}
    assert needed <= held, f"rule {rule} ({script}) imports {sorted(needed - held)}, not in {env}"


def test_rules_with_scripts_all_have_envs():
    assert len(rules_scripts_envs()) >= 15


def test_every_env_s_pip_list_resolves_from_a_copy_elsewhere(tmp_path):
    """Each env's pip list, as read from a copy of its file where Snakemake places it, in one
    resolution of them all (their pins agree: see the test above)."""
    folder = tmp_path / "conda"
    folder.mkdir()
    wanted = {}
    for index, env in enumerate(ENVS):
        copy = folder / f"{index:04d}abcd.yaml"  # as Snakemake places it
        shutil.copy(env, copy)
        wanted.update({p.partition("==")[0].lower(): p.partition("==")[2] for p in pip_list(copy)})
    requirements = folder / "all.txt"
    requirements.write_text("".join(f"{name}=={version}\n" for name, version in wanted.items()))
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps"]
    command += ["--ignore-installed", "--quiet", "--report", str(report), "-r", requirements.name]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300)
    if result.returncode and re.search(
        r"connection|Network is unreachable|resolve host", result.stderr
    ):
        pytest.skip("the package index cannot be reached from here")
    assert result.returncode == 0, result.stderr[-2000:]
    resolved = {
        item["metadata"]["name"].lower(): item["metadata"]["version"]
        for item in json.loads(report.read_text())["install"]
    }
    assert resolved == wanted
