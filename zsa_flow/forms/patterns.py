"""`validate.pattern` with form-js semantics: the JavaScript `new RegExp(pattern).test(value)`.

form-js tests the pattern unanchored (it must occur somewhere in the value, `^…$` anchor it), and
JavaScript's `$` is the end of the text (Python's also matches before a trailing newline), `\\d`
and `\\w` are ASCII, named groups are written `(?<name>…)`. Patterns come from models: a
quantified group that itself contains a quantifier (`(a+)+`) is refused, as for FEEL `matches`,
because Python's backtracking matcher can take exponential time on it; the text is bounded by
`coerce.MAX_TEXT` as well.
"""
import re

from ..dmn.feel_regex import _NESTED_QUANTIFIER


def compile_pattern(pattern):
    """The compiled pattern; ValueError (with the reason) for an invalid or unsafe one."""
    translated = _translate(pattern)
    if _NESTED_QUANTIFIER.search(translated):
        raise ValueError("a quantified group containing a quantifier (like (a+)+) can take exponential time")
    try:
        return re.compile(translated, re.ASCII)
    except re.error as exc:
        raise ValueError(str(exc)) from None


def matches(regex, value):
    """form-js: the pattern occurs in the value (not necessarily all of it)."""
    return regex.search(value) is not None


def html_pattern(pattern):
    """The HTML `pattern` attribute for the same check (browsers anchor it to the whole value)."""
    if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$") and "|" not in pattern:
        return pattern  # anchored already: the same either way
    return f"[\\s\\S]*(?:{pattern})[\\s\\S]*"


def _translate(pattern):
    out, i, in_class, n = [], 0, False, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i: i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "$":
            ch = r"\Z"
        elif pattern.startswith("(?<", i) and i + 3 < n and pattern[i + 3] not in "=!":
            ch, i = "(?P<", i + 2
        out.append(ch)
        i += 1
    return "".join(out)
