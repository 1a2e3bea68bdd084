"""Notification channels behind one interface: 站内 (the stored row is the message), e-mail, SMS
gateway and group-robot webhooks in the WeCom (企业微信) or DingTalk (钉钉) message format.

A channel's send() either returns (delivered) or raises ChannelError with a reason; the delivery
service records the attempt. `PermanentChannelError` says that trying again cannot help (the recipient has
no e-mail address, the channel is not configured): the notification is given up at once and listed for the
administrator instead of being retried. Add a channel by subclassing Channel and listing it in CHANNELS.
"""

from __future__ import annotations

import json
import urllib.request

from django.conf import settings
from django.core.mail import send_mail


class ChannelError(Exception):
    pass


class PermanentChannelError(ChannelError):
    pass


class Channel:
    name = ""

    def send(self, recipient, subject: str, body: str) -> None:
        raise NotImplementedError


class InAppChannel(Channel):
    name = "in_app"

    def send(self, recipient, subject: str, body: str) -> None:
        return None  # the Notification row itself is what the user reads in the platform


class EmailChannel(Channel):
    name = "email"

    def send(self, recipient, subject: str, body: str) -> None:
        if not recipient.email:
            raise PermanentChannelError(f"{recipient.username} has no e-mail address")
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])


def _post_json(url: str, payload: dict, timeout: float = 10) -> bytes:
    request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            return response.read()
    except OSError as error:
        raise ChannelError(f"POST {url} failed: {error}") from error


class WebhookChannel(Channel):
    """A group robot: one message per notification, naming the recipient."""

    name = "webhook"

    def send(self, recipient, subject: str, body: str) -> None:
        url = settings.TONGYUN_WEBHOOK_URL
        if not url:
            raise PermanentChannelError("TONGYUN_WEBHOOK_URL is not set")
        text = f"{subject}\n{body}\n@{recipient.full_name or recipient.username}"
        if settings.TONGYUN_WEBHOOK_STYLE == "dingtalk":
            payload = {"msgtype": "text", "text": {"content": text}, "at": {"atMobiles": [recipient.phone]}}
        else:  # wecom
            payload = {"msgtype": "text", "text": {"content": text, "mentioned_mobile_list": [recipient.phone]}}
        answer = _post_json(url, payload)
        try:
            errcode = json.loads(answer or b"{}").get("errcode", 0)
        except ValueError:
            errcode = 0
        if errcode:
            raise ChannelError(f"webhook answered errcode {errcode}")


class SmsChannel(Channel):
    """An SMS gateway taking {"phone": …, "text": …} as JSON (the district's own gateway)."""

    name = "sms"

    def send(self, recipient, subject: str, body: str) -> None:
        if not settings.TONGYUN_SMS_GATEWAY_URL:
            raise PermanentChannelError("TONGYUN_SMS_GATEWAY_URL is not set")
        if not recipient.phone:
            raise PermanentChannelError(f"{recipient.username} has no phone number")
        _post_json(settings.TONGYUN_SMS_GATEWAY_URL, {"phone": recipient.phone, "text": f"{subject} {body}"})


CHANNELS: dict[str, Channel] = {c.name: c for c in (InAppChannel(), EmailChannel(), WebhookChannel(), SmsChannel())}


def active_channels() -> list[str]:
    names = ["in_app"] + [c for c in settings.TONGYUN_NOTIFY_CHANNELS if c != "in_app"]
    return [n for n in names if n in CHANNELS]
