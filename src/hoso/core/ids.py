"""Looking a record up by the id a URL or a form gives: the public UUID (text) or the row id."""

from __future__ import annotations

import uuid

from hoso.core.errors import NotFoundError


def id_lookup(ident: int | str) -> dict[str, object]:
    """``{"uuid": …}`` for text, ``{"id": …}`` for an int. Text that is not a UUID (an empty or
    tampered form field) is ``NotFoundError`` — the same answer as an id out of scope — rather than
    the database's ValidationError, which would be a 500."""
    if isinstance(ident, int):
        return {"id": ident}
    try:
        return {"uuid": uuid.UUID(str(ident))}
    except ValueError:
        raise NotFoundError() from None
