"""Refuse uploads larger than `FILE_UPLOAD_MAX_BYTES` while they arrive, not after.

Django streams uploaded files to a temporary file, so a huge upload would fill the disk before
a view could look at its size. This handler, first in `FILE_UPLOAD_HANDLERS`, stops reading as
soon as the declared length or the bytes received pass the limit, and marks the request so that
the view or API answers 413 with a clear message.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest


def upload_too_large(request: HttpRequest) -> bool:
    """Whether an upload in this request was refused for its size."""
    return bool(getattr(request, "upload_too_large", False))


def limit_text() -> str:
    """The upload limit in words, for error messages."""
    return f"{settings.FILE_UPLOAD_MAX_BYTES // (1024 * 1024)} MB"


class SizeLimitedUploadHandler(FileUploadHandler):
    """Stops an upload that exceeds `settings.FILE_UPLOAD_MAX_BYTES`."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 - Django's parameter name
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        self.received = 0
        self.too_large = content_length > settings.FILE_UPLOAD_MAX_BYTES

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if getattr(self, "too_large", False):
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = getattr(self, "received", 0) + len(raw_data)
        if self.received > settings.FILE_UPLOAD_MAX_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self) -> None:
        if self.request is not None:
            self.request.upload_too_large = True  # type: ignore[attr-defined]
        # The rest of the body is read and discarded, never stored, so the client gets our answer.
        raise StopUpload(connection_reset=False)
