"""Reference data shipped with zsa-flow: the Kommunen (AGS) the platform may serve."""
import json
from pathlib import Path

from sqlalchemy import select, update

from ..storage.tables import kommune

KOMMUNEN_FILE = Path(__file__).resolve().parent.parent / "data" / "kommunen.json"


def load_kommunen():
    """[(ags, name, demo)] from the shipped reference list."""
    doc = json.loads(KOMMUNEN_FILE.read_text(encoding="utf-8"))
    return [(k["ags"], k["name"], bool(k.get("beispiel", False))) for k in doc["kommunen"]]


def sync_kommunen(platform):
    """Insert or rename the shipped Kommunen (idempotent; run after every migration)."""
    with platform.uow() as uow:
        existing = {r.ags: r.name for r in uow.execute(select(kommune.c.ags, kommune.c.name))}
        for ags, name, demo in load_kommunen():
            if ags not in existing:
                uow.execute(kommune.insert().values(ags=ags, name=name, demo=demo))
            elif existing[ags] != name:
                uow.execute(update(kommune).where(kommune.c.ags == ags).values(name=name))
        uow.commit()


def list_kommunen(platform):
    with platform.uow(readonly=True) as uow:
        return [dict(r) for r in uow.execute(select(kommune).order_by(kommune.c.name)).mappings()]


GRUPPEN_FILE = KOMMUNEN_FILE.parent / "gruppen.json"
_group_names = None


def group_names():
    """{group id: display name} from data/gruppen.json (read once); unknown groups keep their id."""
    global _group_names
    if _group_names is None:
        _group_names = dict(json.loads(GRUPPEN_FILE.read_text(encoding="utf-8"))["gruppen"])
    return _group_names
