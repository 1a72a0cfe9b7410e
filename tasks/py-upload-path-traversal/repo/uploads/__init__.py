"""Ticket attachment storage."""

from uploads.handlers import handle_delete, handle_download, handle_upload
from uploads.sanitize import UnsafeFilename, clean_filename
from uploads.storage import UploadStore

__all__ = ["UnsafeFilename", "UploadStore", "clean_filename", "handle_delete", "handle_download", "handle_upload"]
