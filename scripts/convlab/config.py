"""Checks of the workflow's configuration that give one line per mistake.

The JSON schema (``schemas/config.schema.yaml``) checks types and ranges; the checks
here cover what a schema cannot say, such as a kernel whose rows differ in length.
"""

import difflib
import functools
from pathlib import Path

import jsonschema
import yaml
from PIL import Image

from convlab.errors import UserError

# libyaml's loader where PyYAML has it: the config, the schema and the assignment's nets are
# read at every invocation, and the pure-Python loader takes most of a tenth of a second.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str):
    return yaml.load(text, Loader=LOADER)


class ConfigError(UserError):
    """A user mistake in the configuration."""


def config_file_error(path) -> str | None:
    """One line naming the file, line and column where a config file is not valid YAML;
    None when it reads (or does not exist: Snakemake says so for a file it needs)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        return f"{path}: cannot be read as a text file ({error})"
    try:
        read_yaml(text)
    except yaml.YAMLError:
        pass
    else:
        return None
    try:  # read again by the pure-Python loader, whose words say more plainly what it expected
        yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return f"{path}{where} is not valid YAML: {problem}"
    return None


def _key(path) -> str:
    return ".".join(str(part) for part in path) or "(top level)"


@functools.cache
def _validator(schema_path: str):
    """The schema's validator, built once per process (each sweep value is checked too)."""
    schema = read_yaml(Path(schema_path).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def schema_error(config: dict, schema_path) -> str | None:
    """The most relevant violation of the schema (a YAML file) as one line, or None if the
    config is valid."""
    validator = _validator(str(schema_path))
    error = jsonschema.exceptions.best_match(validator.iter_errors(config))
    if error is None:
        return None
    line = f"config key {_key(error.absolute_path)}: {error.message}"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        line = _unknown_key(error)
    if error.validator == "oneOf" and "description" in error.schema:
        # "is not valid under any of the given schemas" says nothing: say what is expected.
        line = (
            f"config key {_key(error.absolute_path)}: {error.instance!r} is not valid; "
            f"expected {error.schema['description']}"
        )
    if like := _named_like(error, validator.schema):
        line += f" (did you mean {like}?)"
    if error.validator in ("type", "oneOf") and _reads_as_yaml_scalar(error.instance):
        line += (
            " (a nested value given with --config arrives as text: "
            "set it in local.yaml or a file given with --configfile)"
        )
    return line


def _unknown_key(error) -> str:
    """A key the schema does not know, and the closest keys it does at that place."""
    allowed = list(error.schema.get("properties", {}))
    unknown = [key for key in error.instance if key not in allowed]
    where = _key([*error.absolute_path, unknown[0]])
    like = difflib.get_close_matches(str(unknown[0]), allowed, n=2, cutoff=0.6)
    hint = (
        f"did you mean {' or '.join(_key([*error.absolute_path, k]) for k in like)}?"
        if like
        else (f"expected one of: {', '.join(allowed)}")
    )
    return f"config key {where} is not a setting of this workflow; {hint}"


def _named_like(error, schema: dict) -> str | None:
    """For a bad value under a free-form key (sweeps.l1s), the schema's named key that it is
    likely meant to be (sweeps.l1)."""
    path = list(error.absolute_path)
    for key in path[:-1]:
        schema = schema.get("properties", {}).get(key, {}) if isinstance(key, str) else {}
    named = list(schema.get("properties", {}))
    if not path or not isinstance(path[-1], str) or path[-1] in named:
        return None
    like = difflib.get_close_matches(path[-1], named, n=1, cutoff=0.6)
    return _key([*path[:-1], like[0]]) if like else None


def _reads_as_yaml_scalar(value) -> bool:
    """True for text such as '500', '0.1' or 'true' that YAML would read as a number or flag."""
    if not isinstance(value, str):
        return False
    try:
        return isinstance(read_yaml(value), (int, float, bool))
    except yaml.YAMLError:
        return False


def check_matrix(key: str, matrix) -> tuple[int, int]:
    """A kernel or array must be a non-empty rectangular matrix of numbers; its shape."""
    where = f"config key {key}"
    if not isinstance(matrix, list) or not matrix or not all(isinstance(r, list) for r in matrix):
        raise ConfigError(f"{where}: {matrix!r} is not a 2-D matrix (a list of rows)")
    widths = {len(row) for row in matrix}
    if len(widths) != 1 or 0 in widths:
        raise ConfigError(f"{where}: rows have lengths {sorted(widths)}; expected equal, non-zero")
    for row in matrix:
        for value in row:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{where}: {value!r} is not a number")
    return len(matrix), len(matrix[0])


def check_fits(key: str, kernel: tuple, array: tuple, padding: int, what: str) -> None:
    """The kernel must fit in the array once padded, or the convolution has no output."""
    if kernel[0] > array[0] + 2 * padding or kernel[1] > array[1] + 2 * padding:
        raise ConfigError(
            f"config key {key}: a {kernel[0]}x{kernel[1]} kernel is larger than {what} "
            f"({array[0]}x{array[1]}, padding {padding}); use a smaller kernel or more padding"
        )


def picture_shape(conv: dict, workdir=".") -> tuple[int, int] | None:
    """Height and width of Part 1's picture, from the image file's header; None when the
    file cannot be read as a picture (its job says so in one line)."""
    if conv["image"] is None:
        return conv["heart"]["size"], conv["heart"]["size"]
    try:
        with Image.open(Path(workdir) / conv["image"]) as image:
            width, height = image.size
        return height, width
    except (OSError, ValueError):
        return None


def check_conv(conv: dict, workdir=".") -> None:
    """Semantic checks of the ``conv`` section, run before any job starts."""
    image = conv.get("image")
    if image is not None and not (Path(workdir) / image).is_file():
        raise ConfigError(f"config key conv.image: {image!r} does not exist or is not a file")
    picture = picture_shape(conv, workdir)
    for name, matrix in conv["kernels"].items():
        shape = check_matrix(f"conv.kernels.{name}", matrix)
        if picture is not None:
            check_fits(f"conv.kernels.{name}", shape, picture, conv["padding"], "the picture")
    example = conv["example"]
    array = check_matrix("conv.example.array", example["array"])
    kernel = check_matrix("conv.example.kernel", example["kernel"])
    check_fits("conv.example.kernel", kernel, array, example["padding"], "conv.example.array")


def check_runs(config: dict) -> None:
    """The default architecture must be configured, and adaptive replicates need a cap above
    their start. (Whether ``cifar10.path`` exists is asked when a job needs the data:
    convlab.datasource.Planned.)"""
    replicates = config["replicates"]
    if isinstance(replicates, dict) and replicates["max"] <= replicates["start"]:
        raise ConfigError(
            f"config key replicates.max: {replicates['max']} is not above replicates.start "
            f"({replicates['start']}); adding seeds needs room (or write replicates: "
            f"{replicates['start']})"
        )
    arch = config["defaults"]["arch"]
    if arch not in config["architectures"]:
        raise ConfigError(
            f"config key defaults.arch: unknown architecture {arch!r}; expected one of: "
            + ", ".join(sorted(config["architectures"]))
        )
