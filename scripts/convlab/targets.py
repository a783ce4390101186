"""Parsing of the values that users write into target file names."""


class TargetError(ValueError):
    """A target name whose wildcard value is not acceptable."""


def positive_int(text: str, what: str, target: str) -> int:
    """``text`` as an integer >= 1, or a TargetError naming the target."""
    if not text.isdigit() or int(text) < 1:
        raise TargetError(f"{target}: {what} {text!r} is not a positive integer")
    return int(text)


def known_name(text: str, what: str, known, target: str) -> str:
    if text not in known:
        raise TargetError(
            f"{target}: unknown {what} {text!r}; expected one of: {', '.join(sorted(known))}"
        )
    return text
