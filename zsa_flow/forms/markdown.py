"""A small, safe Markdown subset for static form text (form-js `text` components).

Everything is HTML-escaped first; only then are these constructs turned into markup: paragraphs,
headings (`#` .. `####` -> h3 .. h6, the page owns h1/h2), `-`/`*` and `1.` lists, **bold**,
*italic* / _italic_, `code`, [links](https://...) with http(s) targets only, and `{{ name }}`
placeholders filled from the case data (escaped). No raw HTML, no attributes but `href`/`rel`.
"""
import re

from markupsafe import Markup, escape

_PLACEHOLDER = "\x00{}\x00"
_TEMPLATE_RE = re.compile(r"\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\}\}")
_LINK_RE = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s()]+)\)")
_CODE_RE = re.compile(r"`([^`\n]+)`")
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_ITALIC_RE = re.compile(r"\*(?!\s)(.+?)(?<!\s)\*|(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_UL_RE = re.compile(r"^[-*+]\s+(.*)$")
_OL_RE = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
_TAG_RE = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)


def _lookup(data, dotted):
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


_DECIMAL_TEXT = re.compile(r"^-?\d+\.\d{1,4}$")  # "500.00" as rules store money
_ISO_DATE_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _display(value):
    """A case value in German: 500.00 -> "500,00", 1234.5 -> "1.234,5", "2026-03-10" -> "10.03.2026"."""
    if isinstance(value, str) and _DECIMAL_TEXT.match(value):
        sign, digits = ("-", value[1:]) if value.startswith("-") else ("", value)
        whole, _, fraction = digits.partition(".")
        return sign + f"{int(whole):,}".replace(",", ".") + "," + fraction
    if isinstance(value, str) and _ISO_DATE_TEXT.match(value):
        year, month, day = _ISO_DATE_TEXT.match(value).groups()
        return f"{day}.{month}.{year}"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        return _display(repr(value)) if _DECIMAL_TEXT.match(repr(value)) else format(value, "g").replace(".", ",")
    if isinstance(value, list):
        return ", ".join(_display(v) for v in value)
    return str(value)


class _Inline:
    """Inline formatting of one escaped line; links and code become placeholders first."""

    def __init__(self, fills):
        self.fills = fills  # placeholder index -> final HTML

    def stash(self, html):
        self.fills.append(html)
        return _PLACEHOLDER.format(len(self.fills) - 1)

    def __call__(self, text):
        text = _CODE_RE.sub(lambda m: self.stash(f"<code>{m.group(1)}</code>"), text)
        text = _LINK_RE.sub(lambda m: self.stash(
            f'<a href="{m.group(2)}" rel="noopener noreferrer">{m.group(1)}</a>'), text)
        text = _BOLD_RE.sub(lambda m: f"<strong>{m.group(1) or m.group(2)}</strong>", text)
        return _ITALIC_RE.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", text)


def render_markdown(source, values=None):
    """The safe HTML (Markup) for `source`; `values` fills `{{ name }}` placeholders."""
    fills = []
    inline = _Inline(fills)
    text = str(source or "").replace("\x00", "")

    def template(match):
        return inline.stash(str(escape(_display(_lookup(values or {}, match.group(1))))))

    # Escape *before* interpreting anything: placeholders survive escaping unchanged.
    text = str(escape(_TEMPLATE_RE.sub(template, text)))
    out, paragraph, items, kind = [], [], [], None

    def flush_paragraph():
        if paragraph:
            out.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    def flush_list():
        nonlocal kind
        if items:
            out.append(f"<{kind}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{kind}>")
            items.clear()
        kind = None

    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        heading, bullet, number = _HEADING_RE.match(stripped), _UL_RE.match(stripped), _OL_RE.match(stripped)
        if not stripped:
            flush_paragraph()
            flush_list()
        elif heading:
            flush_paragraph()
            flush_list()
            level = min(len(heading.group(1)) + 2, 6)
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif bullet or number:
            flush_paragraph()
            wanted = "ul" if bullet else "ol"
            if kind != wanted:
                flush_list()
                kind = wanted
            items.append(inline((bullet or number).group(1)))
        else:
            flush_list()
            paragraph.append(inline(stripped))
    flush_paragraph()
    flush_list()
    html = "".join(out)
    for _ in range(2):  # a stashed link text may itself hold a stashed template value
        html = re.sub("\x00(\\d+)\x00", lambda m: fills[int(m.group(1))], html)
    return Markup(html)


def html_as_text(source):
    """Content of a form-js `html` component: tags (and script/style bodies) dropped, rest escaped."""
    text = _TAG_RE.sub(" ", str(source or "")).replace("\x00", "")
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text)]
    return Markup("".join(f"<p>{escape(b)}</p>" for b in blocks if b))
