"""/api/v1/spares/…"""

from ninja import Router

router = Router(tags=["备品备件"])
