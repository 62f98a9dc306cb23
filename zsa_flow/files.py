"""Uploaded files as untrusted input: the type from the content's magic bytes, safe file names,
`accept` lists as form-js writes them, sizes in German.

Only PDF, JPEG and PNG are documents here. What the client claims (file name, Content-Type) never
decides the type: a file named `bescheid.pdf` that holds HTML is refused.
"""
import re
import unicodedata

# (media type, magic bytes at offset 0, label, file name extensions)
TYPES = (
    ("application/pdf", b"%PDF-", "PDF", (".pdf",)),
    ("image/jpeg", b"\xff\xd8\xff", "JPEG", (".jpg", ".jpeg", ".jpe")),
    ("image/png", b"\x89PNG\r\n\x1a\n", "PNG", (".png",)),
)
LABELS = {media: label for media, _magic, label, _ext in TYPES}
EXTENSIONS = {media: ext for media, _magic, _label, ext in TYPES}
MAX_NAME = 200  # characters of a stored file name (the column holds 255)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def sniff(content: bytes):
    """The media type of `content` from its first bytes (PDF, JPEG, PNG), or None."""
    head = bytes(content[:16])
    for media, magic, _label, _ext in TYPES:
        if head.startswith(magic):
            return media
    return None


def safe_name(name, media_type=None) -> str:
    """A file name fit to store and show: the last path part only, no NUL or control characters,
    no characters Windows refuses, no leading dots, at most MAX_NAME characters (the extension is
    kept); an empty result becomes `dokument` with the extension of `media_type`."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    text = _UNSAFE.sub("_", text).strip().lstrip(".").strip()
    if not text or set(text) <= {"_", " ", "."}:
        text = "dokument" + (EXTENSIONS.get(media_type, ("",))[0])
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        ext = dot + ext if dot and 0 < len(ext) <= 10 else ""
        text = (stem if ext else text)[: MAX_NAME - len(ext)].rstrip() + ext
    return text


def parse_accept(accept) -> tuple:
    """form-js `accept` ("application/pdf,.png,image/*") as a tuple of lower-case entries."""
    if not isinstance(accept, str):
        return ()
    return tuple(part.strip().lower() for part in accept.split(",") if part.strip())


def accepts(entries, media_type, name="") -> bool:
    """Whether a file of `media_type` (from its content) fits the accept entries (empty: every type).

    An extension entry (".pdf") matches the content's type, not the file name's ending, so a PNG
    named `scan.pdf` does not pass `.pdf`."""
    if not entries:
        return True
    for entry in entries:
        if entry.startswith("."):
            if entry in EXTENSIONS.get(media_type, ()):
                return True
        elif entry.endswith("/*"):
            if media_type.startswith(entry[:-1]):
                return True
        elif entry == media_type:
            return True
    return False


def accept_label(entries) -> str:
    """The accepted types as people read them: "PDF, JPEG"."""
    labels = []
    for media, _magic, label, ext in TYPES:
        if accepts(entries, media) and label not in labels:
            labels.append(label)
    return ", ".join(labels) or "keine"


def human_size(size: int) -> str:
    """`1,5 MB`, `820 KB`, `12 Bytes` (German decimal comma)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",").replace(",0 MB", " MB")
    if size >= 1024:
        return f"{round(size / 1024)} KB"
    return f"{size} Bytes"
