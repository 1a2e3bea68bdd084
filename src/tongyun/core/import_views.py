"""The page of one import job (core/imports.py): progress while the worker runs it, then the outcome."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tongyun.core import imports


@login_required
def import_job(request, pk: int):
    """The job's page; HTMX polls the same URL (HX-Request) for the status fragment until the job is finished."""
    job = imports.job_for(request.user, pk)
    spec = imports.importer(job.kind)
    context = {"job": job, "spec": spec, "summary_text": spec.describe(job.summary) if job.summary else ""}
    if request.headers.get("HX-Request"):
        return render(request, "core/_import_job_status.html", context)
    return render(request, "core/import_job.html", context)
