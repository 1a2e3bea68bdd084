"""签署流程: sign-off flow: ordered parties deciding on a subject."""
