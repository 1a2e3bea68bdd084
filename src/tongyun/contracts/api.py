"""/api/v1/contracts/…"""

from ninja import Router

router = Router(tags=["合同考核"])
