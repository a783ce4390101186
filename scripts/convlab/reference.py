"""The pages of docs/ that are made from the workflow itself, so that they cannot drift:
the configuration reference (from the schema and config.yaml) and the rule graph (from
``snakemake --rulegraph``). ``scripts/make_docs.py`` writes them; tests/test_docs.py fails
when a committed page differs from what these functions make."""

import json

import yaml

REFERENCE_HEAD = """\
# Configuration reference

Made by `scripts/make_docs.py` from `schemas/config.schema.yaml` (the descriptions and what
is allowed) and `config.yaml` (the defaults); `tests/test_docs.py` fails when this page is
out of date. Set a key in `local.yaml` (git-ignored, read after `config.yaml`) or with
`--config key=value`; [configuration.md](configuration.md) says how the settings work
together. `<name>` stands for a name you choose.
"""


def _resolve(node: dict, schema: dict) -> dict:
    """``node`` with its ``$ref`` (to ``#/$defs/...``) merged in, its own keys winning."""
    if "$ref" not in node:
        return node
    target = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return {**_resolve(target, schema), **{k: v for k, v in node.items() if k != "$ref"}}


def allowed(node: dict, schema: dict) -> str:
    """What a value may be, in a few words."""
    node = _resolve(node, schema)
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        return " or ".join(f"`{value}`" for value in node["enum"])
    if "oneOf" in node:
        return "; or ".join(allowed(option, schema) for option in node["oneOf"])
    kinds = node.get("type", "object" if "properties" in node else "any")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    words = " or ".join("null" if kind == "null" else kind for kind in kinds)
    bounds = []
    if "minimum" in node:
        bounds.append(f">= {node['minimum']}")
    if "exclusiveMinimum" in node:
        bounds.append(f"> {node['exclusiveMinimum']}")
    if "maximum" in node:
        bounds.append(f"<= {node['maximum']}")
    if "exclusiveMaximum" in node:
        bounds.append(f"< {node['exclusiveMaximum']}")
    if "items" in node and "array" in kinds:
        words = f"list of {allowed(node['items'], schema)}"
    return words + (f" ({', '.join(bounds)})" if bounds else "")


def _value(value) -> str:
    text = json.dumps(value, separators=(", ", ": "))
    return f"`{text}`" if len(text) <= 60 else f"`{text[:57]}...`"


def _example(node: dict, default) -> str:
    """The schema's first example of a key, else its default."""
    return _value(node["examples"][0]) if node.get("examples") else _value(default)


def rows(node: dict, schema: dict, config, path: str = ""):
    """(key, description, allowed, default, example) of every key below ``node``, depth
    first; a key without a description is yielded with None (the test fails on it)."""
    node = _resolve(node, schema)
    for name, child in node.get("properties", {}).items():
        key = f"{path}.{name}" if path else name
        child = _resolve(child, schema)
        value = config.get(name) if isinstance(config, dict) else None
        yield key, child.get("description"), allowed(child, schema), value, _example(child, value)
        if "properties" in child:
            yield from rows(child, schema, value or {}, key)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict) and "properties" in extra and path:
        yield from rows(extra, schema, {}, f"{path}.<name>")


def config_reference(schema: dict, config: dict) -> str:
    """The configuration reference page: one table per top-level key."""
    parts = [REFERENCE_HEAD]
    for name, node in schema["properties"].items():
        node = _resolve(node, schema)
        parts.append(f"\n## `{name}`\n\n{node['description']}\n")
        value = config.get(name)
        table = list(rows(node, schema, value or {}, name))
        if not table:
            parts.append(
                f"\nAllowed: {allowed(node, schema)}. Default: {_value(value)}. "
                f"Example: {_example(node, value)}.\n"
            )
            continue
        parts.append(
            "\n| key | what it is | allowed | default | example |\n|---|---|---|---|---|\n"
        )
        for key, description, kind, default, example in table:
            parts.append(f"| `{key}` | {description} | {kind} | {_value(default)} | {example} |\n")
    return "".join(parts)


def undescribed(schema: dict) -> list[str]:
    """The keys of the schema that have no description."""
    missing = [name for name, node in schema["properties"].items() if "description" not in node]
    for name, node in schema["properties"].items():
        missing += [key for key, text, *_ in rows(node, schema, {}, name) if not text]
    return missing


RULEGRAPH_HEAD = """\
# The workflow's rules

Made by `scripts/make_docs.py` from `snakemake --rulegraph mermaid-js` on the default target;
`tests/test_docs.py` fails when this page is out of date. Each box is a rule, each arrow an
output one rule makes and another reads (GitHub draws the Mermaid diagram).

"""


def rulegraph_page(mermaid: str) -> str:
    """The page of the rule graph that ``snakemake --rulegraph mermaid-js`` prints."""
    return f"{RULEGRAPH_HEAD}```mermaid\n{mermaid.strip()}\n```\n"


def load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)
