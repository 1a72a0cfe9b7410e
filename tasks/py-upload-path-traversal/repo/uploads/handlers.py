"""Request-level functions for the web layer: dicts in, dicts out."""

from __future__ import annotations

from typing import Any

from uploads.sanitize import UnsafeFilename
from uploads.storage import UploadStore

MAX_BODY = 10 * 1024 * 1024


def handle_upload(store: UploadStore, request: dict[str, Any]) -> dict[str, Any]:
    body = request.get("body", b"")
    if len(body) > MAX_BODY:
        return {"status": 413, "error": "file too large"}
    try:
        path = store.save(request["ticket"], request["filename"], body)
    except UnsafeFilename as exc:
        return {"status": 400, "error": str(exc)}
    stored_as = f"{request['ticket']}/{path.name}"
    return {"status": 201, "stored_as": stored_as, "size": len(body)}


def handle_download(store: UploadStore, request: dict[str, Any]) -> dict[str, Any]:
    try:
        body = store.read(request["ticket"], request["name"])
    except UnsafeFilename as exc:
        return {"status": 400, "error": str(exc)}
    except (FileNotFoundError, IsADirectoryError):
        return {"status": 404, "error": "no such file"}
    return {"status": 200, "body": body}


def handle_delete(store: UploadStore, request: dict[str, Any]) -> dict[str, Any]:
    try:
        store.delete(request["ticket"], request["name"])
    except UnsafeFilename as exc:
        return {"status": 400, "error": str(exc)}
    except (FileNotFoundError, IsADirectoryError):
        return {"status": 404, "error": "no such file"}
    return {"status": 204}
