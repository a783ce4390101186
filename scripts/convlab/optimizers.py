"""An optimizer as the config and a net's shape write it (kept apart from convlab.runs, the
names, so that renaming never changes the code a training runs)."""


def optimizer_parts(optimizer) -> tuple[str, dict]:
    """An optimizer as a shape or the config writes it, ``adam`` or ``{Adam: {learning_rate:
    0.01}}``: its name and options."""
    if isinstance(optimizer, str):
        return optimizer, {}
    ((name, options),) = optimizer.items()
    return name, dict(options or {})
