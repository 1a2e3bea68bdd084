"""/api/v1/staffing/…"""

from ninja import Router

router = Router(tags=["人员与值班"])
