"""Wire the routes to the handlers."""

from __future__ import annotations

from webapp.handlers import NotesHandlers
from webapp.router import Router
from webapp.store import NoteStore


def build_app(store: NoteStore | None = None) -> Router:
    handlers = NotesHandlers(store or NoteStore())
    router = Router()
    router.add("GET", "/health", handlers.health)
    router.add("GET", "/notes", handlers.list_notes)
    router.add("POST", "/notes", handlers.create_note)
    router.add("GET", "/notes/get", handlers.get_note)
    router.add("DELETE", "/notes/delete", handlers.delete_note)
    return router
