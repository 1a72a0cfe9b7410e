"""Request handlers: plain functions from Request to Response."""

from __future__ import annotations

from webapp.http import Request, Response, error_response, json_response
from webapp.store import NoteStore


class NotesHandlers:
    def __init__(self, store: NoteStore) -> None:
        self.store = store

    def health(self, request: Request) -> Response:
        return json_response({"status": "ok"})

    def list_notes(self, request: Request) -> Response:
        return json_response({"notes": [note.to_dict() for note in self.store.all()]})

    def create_note(self, request: Request) -> Response:
        try:
            data = request.json()
        except ValueError:
            return error_response(400, "body must be JSON")
        if not isinstance(data, dict) or not isinstance(data.get("title"), str) or not data["title"].strip():
            return error_response(400, "title is required")
        note = self.store.create(data["title"].strip(), str(data.get("text", "")))
        return json_response(note.to_dict(), status=201, headers={"Location": f"/notes/{note.id}"})

    def _note_id(self, request: Request) -> int | None:
        """The note id from ``/notes/<int:note_id>``, or from ``?id=`` (old routes)."""
        if "note_id" in request.path_params:
            return int(request.path_params["note_id"])
        raw = request.query.get("id", "")
        return int(raw) if raw.isdigit() else None

    def get_note(self, request: Request) -> Response:
        note_id = self._note_id(request)
        if note_id is None:
            return error_response(400, "id must be a number")
        note = self.store.get(note_id)
        if note is None:
            return error_response(404, f"note {note_id} not found")
        return json_response(note.to_dict())

    def delete_note(self, request: Request) -> Response:
        note_id = self._note_id(request)
        if note_id is None:
            return error_response(400, "id must be a number")
        if not self.store.delete(note_id):
            return error_response(404, f"note {note_id} not found")
        return Response(status=204)
