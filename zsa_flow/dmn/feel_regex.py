"""XPath / XML Schema regular expressions (FEEL `matches`, `replace`, `split`) as Python ones.

Differences handled: flags s m i x q; `.` does not match CR/LF without `s`; `x` removes whitespace
outside classes (escapes included); class subtraction `[a-z-[aeiou]]`; `\\p{...}` categories used
in practice; back-references inside classes and `\\0` are errors. Patterns with a quantified
group that itself contains a quantifier (`(a+)+`) are refused: Python's backtracking matcher can
take exponential time on them, and patterns come from models and data.
"""
import functools
import re

_CATEGORIES = {
    "L": r"[^\W\d_]", "Lu": "[A-Z\u00c0-\u00de]", "Ll": "[a-z\u00df-\u00ff]", "N": r"\d", "Nd": r"\d",
    "IsBasicLatin": r"[\x00-\x7f]", "P": r"[!-/:-@\[-`{-~]", "Z": r"\s", "Zs": " ",
}
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,)")
_SUBTRACTION = re.compile(r"\[((?:\\.|[^\]\[\\])*)-\[((?:\\.|[^\]\\])*)\]\]")


def _strip_whitespace(pattern):
    """The `x` flag: whitespace outside classes is removed (also right after a backslash)."""
    out, in_class, escaped = [], False, False
    for ch in pattern:
        if ch in " \t\n\r" and not in_class:
            continue
        if not escaped:
            if ch == "[":
                in_class = True
            elif ch == "]":
                in_class = False
        escaped = ch == "\\" and not escaped
        out.append(ch)
    return "".join(out)


def _translate(pattern, flags):
    if "x" in flags:
        pattern = _strip_whitespace(pattern)
    pattern = _SUBTRACTION.sub(lambda m: f"(?:(?![{m.group(2)}])[{m.group(1)}])", pattern)
    out, i, in_class, n = [], 0, False, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n:
                raise ValueError("trailing backslash")
            nxt = pattern[i + 1]
            if nxt in "pP":
                end = pattern.find("}", i)
                if pattern[i + 2: i + 3] != "{" or end < 0:
                    raise ValueError("bad category")
                name = pattern[i + 3: end]
                if name not in _CATEGORIES:
                    raise ValueError(f"unknown category {name}")
                cat = _CATEGORIES[name]
                if nxt == "P":
                    cat = f"(?:(?!{cat})[\\s\\S])"
                out.append(cat if not in_class else cat.strip("[]"))
                i = end + 1
                continue
            if nxt.isdigit() and (in_class or nxt == "0"):
                raise ValueError("back-reference inside a class")
            out.append(pattern[i: i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            if pattern[i + 1: i + 2] == "^":
                out.append("[^")
                i += 2
                continue
        elif ch == "." and "s" not in flags:
            ch = r"[^\n\r]"
        out.append(ch)
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=512)
def xpath_regex(pattern, flags=None):
    """A compiled Python regex for an XPath pattern and flags string; ValueError if invalid."""
    if not isinstance(pattern, str) or (flags is not None and not isinstance(flags, str)):
        raise TypeError("pattern and flags must be strings")
    flags = flags or ""
    if any(f not in "smixq" for f in flags):
        raise ValueError("bad flag")
    options = (re.S if "s" in flags else 0) | (re.M if "m" in flags else 0) | (re.I if "i" in flags else 0)
    if "q" in flags:
        return re.compile(re.escape(pattern), options)
    translated = _translate(pattern, flags)
    if _NESTED_QUANTIFIER.search(translated):
        raise ValueError("nested quantifiers are not supported")
    try:
        return re.compile(translated, options)
    except re.error as exc:
        raise ValueError(str(exc)) from None
