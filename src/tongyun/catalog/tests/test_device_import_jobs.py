"""Large device workbooks are imported by the worker through an ImportJob (core/imports.py)."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from tongyun.catalog.models import Device
from tongyun.catalog.tests.test_device_import import camera, switch, workbook
from tongyun.core import imports
from tongyun.core.models import ImportJob
from tongyun.core.tasks import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(system_of):
    return system_of("公安局顺义分局")


@pytest.fixture
def to_worker(settings, tmp_path):
    """Every upload counts as large: it goes to the worker (the size limit is tested below)."""
    settings.TONGYUN_IMPORT_INLINE_MAX_BYTES = 0
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def upload(rows, name="设备台账.xlsx"):
    file = io.BytesIO(workbook(rows))
    file.name = name
    return file


def post(client, rows, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/catalog/devices/import/", {"file": upload(rows)})
    return response


def test_a_large_upload_creates_a_job_that_the_worker_imports(client_as, police, to_worker,
                                                               django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    client = client_as("pm")
    response = post(client, [camera("CAM-001", police), switch(police)], django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    assert (job.state, job.kind, job.filename, job.created_by.username) == ("queued", "catalog.devices",
                                                                             "设备台账.xlsx", "pm")
    assert job.file.path.startswith(str(job.file.storage.location)) and job.size > 0
    assert not Device.objects.filter(code__in=["CAM-001", "SW-001"]).exists()  # nothing yet: the worker does it
    queued = DBTaskResult.objects.get(task_path=run_import.module_path)
    assert queued.args_kwargs["args"] == [job.pk]
    # while queued the page polls for its status
    fragment = client.get(f"/imports/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "排队中" in fragment

    assert run_import.call(job.pk) == "done"
    job.refresh_from_db()
    assert job.state == "done" and job.summary == {"created": 2, "updated": 0, "unchanged": 0}
    assert job.rows_read == 2 and job.started_at and job.finished_at
    cam = Device.objects.get(code="CAM-001")
    # the streamed read (openpyxl read-only) gives the same values as the in-request read (calamine)
    assert cam.upstream.code == "SW-001" and cam.ip_address == "10.23.0.2" and cam.device_class == "camera"
    assert cam.latitude == Decimal("40.130001") and cam.install_date == dt.date(2024, 5, 1)
    assert cam.gb28181_id == "11011300001320000001"
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "新增 2 台" in page and "every 2s" not in page  # finished: no more polling
    assert run_import.call(job.pk) == "done"  # a second run of the task does nothing
    assert Device.objects.filter(code="CAM-001").count() == 1
    assert f"/imports/{job.pk}/" in client.get("/catalog/devices/import/").content.decode()


def test_a_bad_workbook_stores_every_problem_and_changes_nothing(client_as, police, to_worker,
                                                                  django_capture_on_commit_callbacks):
    client = client_as("pm")
    rows = [switch(police), camera("CAM-001", police, gb28181_id="abc"), camera("CAM-002", police, latitude="95")]
    post(client, rows, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert run_import.call(job.pk) == "refused"
    job.refresh_from_db()
    assert job.problem_count == 2
    assert [(p["sheet"], p["row"], p["column"]) for p in job.problems] == [("设备台账", 3, "国标编码"),
                                                                          ("设备台账", 4, "纬度")]
    assert not Device.objects.filter(code__in=["SW-001", "CAM-001", "CAM-002"]).exists()
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "20 位数字" in page and "未做任何改动" in page and 'data-state="refused"' in page


def test_a_file_that_is_not_a_workbook_is_refused_by_name(client_as, to_worker, django_capture_on_commit_callbacks):
    client = client_as("pm")
    file = io.BytesIO(b"not a workbook")
    file.name = "x.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/catalog/devices/import/", {"file": file})
    job = ImportJob.objects.get()
    assert run_import.call(job.pk) == "refused"
    job.refresh_from_db()
    assert job.problems[0]["sheet"] == "文件" and "无法读取" in job.problems[0]["reason"]


def test_another_units_user_cannot_see_the_job(client_as, police, to_worker, django_capture_on_commit_callbacks):
    post(client_as("pm"), [switch(police)], django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert client_as("bureau_admin").get(f"/imports/{job.pk}/").status_code == 200  # sees every unit
    assert client_as("unit_admin_police").get(f"/imports/{job.pk}/").status_code == 404
    assert client_as("engineer").get(f"/imports/{job.pk}/").status_code == 404
    assert client_as("pm").get("/imports/999999/").status_code == 404


def test_small_uploads_stay_in_the_request(client_as, police, settings):
    settings.TONGYUN_IMPORT_INLINE_MAX_BYTES = 10 * 2**20
    response = client_as("pm").post("/catalog/devices/import/", {"file": upload([switch(police)])})
    assert response.status_code == 200 and "新增 1 台" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_worker_rechecks_the_uploaders_right(client_as, user_of, police, to_worker,
                                                 django_capture_on_commit_callbacks):
    post(client_as("pm"), [switch(police)], django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    pm = user_of("pm")
    pm.role = "engineer"
    pm.save()
    assert run_import.call(job.pk) == "failed"
    assert not Device.objects.filter(code="SW-001").exists()
    assert "无权" in ImportJob.objects.get().error


def test_submit_requires_the_importers_capability(user_of, police, to_worker):
    file = upload([switch(police)])
    file.size = len(file.getvalue())
    with pytest.raises(Exception) as denied:
        imports.submit(user_of("unit_admin_police"), "catalog.devices", file)
    assert type(denied.value).__name__ == "PermissionDenied" and not ImportJob.objects.exists()
