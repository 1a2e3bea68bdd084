"""The validity of an X.509 certificate read from its DER bytes (what a TLS peer sent), without a
crypto library: only the few ASN.1 elements up to ``validity`` are walked. Pure Python, no Django.

Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber INTEGER,
signature AlgorithmIdentifier, issuer Name, validity SEQUENCE { notBefore Time, notAfter Time }, … } … }
Time is UTCTime (YYMMDDHHMMSSZ, years 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ).
"""

from __future__ import annotations

from datetime import UTC, datetime


class CertificateUnreadable(ValueError):
    pass


def _element(data: bytes, offset: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the element at ``offset``."""
    if offset + 2 > len(data):
        raise CertificateUnreadable("truncated")
    tag, length = data[offset], data[offset + 1]
    offset += 2
    if length & 0x80:
        count = length & 0x7F
        if not 0 < count <= 4 or offset + count > len(data):
            raise CertificateUnreadable("bad length")
        length = int.from_bytes(data[offset:offset + count], "big")
        offset += count
    if offset + length > len(data):
        raise CertificateUnreadable("truncated")
    return tag, offset, offset + length


def _time(tag: int, raw: bytes) -> datetime:
    text = raw.decode("ascii")
    if not text.endswith("Z"):
        raise CertificateUnreadable("time without Z")
    if tag == 0x17:  # UTCTime
        year = int(text[:2])
        text = f"{1900 + year if year >= 50 else 2000 + year}{text[2:]}"
    elif tag != 0x18:  # GeneralizedTime
        raise CertificateUnreadable("not a time")
    return datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def validity(der: bytes) -> tuple[datetime, datetime]:
    """(notBefore, notAfter), aware UTC datetimes."""
    try:
        tag, start, _end = _element(der, 0)
        if tag != 0x30:
            raise CertificateUnreadable("not a certificate")
        tag, position, _tbs_end = _element(der, start)
        if tag != 0x30:
            raise CertificateUnreadable("no tbsCertificate")
        tag, _s, end = _element(der, position)
        if tag == 0xA0:  # explicit version
            position = end
        for _skip in range(3):  # serialNumber, signature, issuer
            _tag, _s, position = _element(der, position)
        tag, position, _v_end = _element(der, position)
        if tag != 0x30:
            raise CertificateUnreadable("no validity")
        before_tag, s1, e1 = _element(der, position)
        after_tag, s2, e2 = _element(der, e1)
        return _time(before_tag, der[s1:e1]), _time(after_tag, der[s2:e2])
    except (IndexError, UnicodeDecodeError) as error:
        raise CertificateUnreadable(str(error)) from None
    except ValueError as error:
        if isinstance(error, CertificateUnreadable):
            raise
        raise CertificateUnreadable(str(error)) from None


def not_after(der: bytes) -> datetime:
    return validity(der)[1]
