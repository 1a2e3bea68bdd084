"""/api/v1/security/…"""

from ninja import Router

router = Router(tags=["安全合规"])
