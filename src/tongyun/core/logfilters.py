"""Log records of the client's mistakes carry no traceback.

Django logs a malformed body (``MultiPartParserError``: a multipart request without a boundary) as a 400 with
the exception attached, so an ordinary bad request filled the server log with tracebacks that look like
crashes. A 4xx is the caller's error: one line names it; a traceback stays reserved for a 5xx.
"""

import logging


class ClientErrorWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
