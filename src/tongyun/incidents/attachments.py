"""Writes of ticket attachments (photos and documents of a fault report, also posted through the API).

Every file is checked before any is stored: at most MAX_FILES per request, each no larger than
TONGYUN_UPLOAD_MAX_BYTES (the limit the request-size middleware applies to the whole body), a name and a
known extension. A refused batch raises ValidationError naming the field and the file, and stores nothing.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tongyun.core.scoping import scoped

from .models import Incident, IncidentAttachment

MAX_FILES = 10
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".bmp"}
DOCUMENT_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".zip", ".mp4", ".mov"}


def _check(files, field: str) -> None:
    if len(files) > MAX_FILES:
        raise ValidationError({field: _("一次最多上传 %(n)s 个文件") % {"n": MAX_FILES}})
    limit = settings.TONGYUN_UPLOAD_MAX_BYTES
    for upload in files:
        extension = os.path.splitext(upload.name or "")[1].lower()
        if extension not in IMAGE_EXTENSIONS | DOCUMENT_EXTENSIONS:
            raise ValidationError({field: _("“%(name)s”：不支持的文件类型（照片、PDF、Office 文档、压缩包或视频）")
                                   % {"name": upload.name}})
        if upload.size > limit:
            raise ValidationError({field: _("“%(name)s”超过 %(mb)s MB") % {"name": upload.name,
                                                                          "mb": limit // 2**20}})


@transaction.atomic
def add_attachments(user, incident: Incident, files, *, field: str = "attachments") -> list[IncidentAttachment]:
    """Store the files on the ticket (anyone who may see the ticket may add evidence to it)."""
    if not scoped(Incident.objects.filter(pk=incident.pk), user).exists():
        raise PermissionDenied
    files = list(files)
    _check(files, field)
    stored = []
    for upload in files:
        name = os.path.basename(upload.name)[:200]
        extension = os.path.splitext(name)[1].lower()
        attachment = IncidentAttachment(incident=incident, name=name, size=upload.size, uploaded_by=user,
                                        is_image=extension in IMAGE_EXTENSIONS)
        attachment.file.save(name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def check_files(files, field: str = "attachments") -> None:
    """Check a batch before the ticket exists (report with attachments: nothing is written if one is bad)."""
    _check(list(files), field)
