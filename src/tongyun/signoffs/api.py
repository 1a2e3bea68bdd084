"""/api/v1/signoffs/…"""

from ninja import Router

router = Router(tags=["签署流程"])
