"""Large Excel imports in the worker: one `ImportJob` mechanism every importer uses.

A domain registers an importer (a key, a capability, a function that imports a stored workbook file and
returns a summary dict) in its AppConfig.ready(). Its upload page calls `submit()`: a workbook up to
`TONGYUN_IMPORT_INLINE_MAX_BYTES` (512 KiB by default, some 6,000 device rows) is imported at once in the
request as before, because a small file answers faster than a page that polls; a larger one is stored under
TONGYUN_DATA_DIR/media/imports, an `ImportJob` is queued and the django-tasks worker (`tongyun db_worker`)
runs it with `run_job()`, so a 100,000-row workbook never passes through a web worker's memory. The page
of the job polls (HTMX) for its progress and, once finished, shows the summary or every problem (row and
column) — the importers stay all or nothing: a refused workbook changes nothing.

The importer function reads the file itself, streaming (core/excel.py `iter_sheet_rows`), and calls
`progress(rows_read, rows_total)` now and then; progress is written outside the import's transaction so
the page sees it while the import runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from tongyun.core.excel import Problem, WorkbookInvalid
from tongyun.core.models import ImportJob
from tongyun.core.permissions import require
from tongyun.core.scoping import scoped

logger = logging.getLogger(__name__)
PROBLEMS_KEPT = 1000
PROGRESS_EVERY = 2000  # rows between two progress writes: a few dozen UPDATEs for 100,000 rows



class Progress:
    """What an importer tells the job while it runs: rows read (of the sheet's total, if known), then that
    it has read everything and checks and writes. The base class (inline imports) records nothing."""

    def rows(self, read: int, total: int | None = None) -> None:
        pass

    def writing(self, read: int) -> None:
        pass


class _JobProgress(Progress):
    def __init__(self, pk: int):
        self.pk, self.last = pk, -PROGRESS_EVERY

    def rows(self, read: int, total: int | None = None) -> None:
        if read - self.last >= PROGRESS_EVERY:
            self.last = read
            ImportJob.objects.filter(pk=self.pk).update(rows_read=read, rows_total=total)

    def writing(self, read: int) -> None:
        ImportJob.objects.filter(pk=self.pk).update(rows_read=read, phase="writing")


@dataclass(frozen=True)
class Importer:
    key: str  # e.g. "catalog.devices"
    label: str  # what the job page calls it (translated lazily)
    capability: str  # checked on submit and again when the worker runs the job
    run: Callable[[object, Path, Progress], dict]  # (user, file, progress) -> summary; raises WorkbookInvalid
    describe: Callable[[dict], str]  # the summary as a sentence for the job page
    back_url: str  # the upload page (URL name)


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _importers[importer.key] = importer


def importer(key: str) -> Importer:
    return _importers[key]


def inline_max_bytes() -> int:
    return settings.TONGYUN_IMPORT_INLINE_MAX_BYTES


def runs_inline(uploaded) -> bool:
    """Small workbooks are imported inside the request (the page answers at once); larger ones go to the worker."""
    return uploaded.size <= inline_max_bytes()


def submit(user, key: str, uploaded) -> ImportJob:
    """Store the uploaded workbook and queue its import; the task is queued once the job is committed."""
    spec = _importers[key]
    require(user, spec.capability)
    job = ImportJob(kind=key, filename=Path(uploaded.name or "upload.xlsx").name[:255], size=uploaded.size or 0,
                    created_by=user, unit_id=getattr(user, "organisation_id", None))
    job.file.save(f"{key}.xlsx", uploaded, save=False)
    job.save()
    from tongyun.core.tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return job


def visible_jobs(user):
    """The jobs `user` may see: core/scoping.py through the uploader's unit."""
    return scoped(ImportJob.objects.all(), user)


def recent_jobs(user, key: str, count: int = 5) -> list[ImportJob]:
    """The user's own latest jobs of one importer, for its upload page."""
    return list(visible_jobs(user).filter(kind=key, created_by=user).defer("problems")[:count])


def job_for(user, pk: int) -> ImportJob:
    """The job, or 404 if it does not exist or belongs to a unit the user does not see."""
    job = visible_jobs(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def run_job(pk: int) -> str:
    """Run one queued job (the worker's task). Returns its final state; a job already started is left alone."""
    claimed = ImportJob.objects.filter(pk=pk, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now(), phase="reading")
    if not claimed:
        return ImportJob.objects.filter(pk=pk).values_list("state", flat=True).first() or "missing"
    job = ImportJob.objects.select_related("created_by").get(pk=pk)
    spec = _importers[job.kind]
    fields: dict = {"phase": ""}
    try:
        require(job.created_by, spec.capability)  # the uploader may have lost the right since
        summary = spec.run(job.created_by, Path(job.file.path), _JobProgress(pk))
    except WorkbookInvalid as invalid:
        fields.update(state=ImportJob.State.REFUSED, problem_count=len(invalid.problems),
                      problems=[_problem(p) for p in invalid.problems[:PROBLEMS_KEPT]])
    except PermissionDenied:
        fields.update(state=ImportJob.State.FAILED, error=gettext("上传人已无权导入"))
    except Exception as error:  # the job must end in a state the page can show; the log keeps the traceback
        logger.exception("import job %s failed", pk)
        fields.update(state=ImportJob.State.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
    else:
        fields.update(state=ImportJob.State.DONE, summary=summary)
    fields["finished_at"] = timezone.now()
    ImportJob.objects.filter(pk=pk).update(**fields)
    return fields["state"]


def _problem(problem: Problem) -> dict:
    return {"sheet": str(problem.sheet), "row": problem.row, "column": problem.column and str(problem.column),
            "reason": str(problem.reason)}
