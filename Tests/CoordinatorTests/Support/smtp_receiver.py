"""A real SMTP receiver on 127.0.0.1 for notification tests, built on aiosmtpd (Debian's python3-aiosmtpd).

Usage: smtp_receiver.py RECORD_FILE [--auth USER:PASSWORD] [--tls CERT KEY] [--refuse ADDRESS]...
                        [--lifetime SECONDS]

Binds a free port between 20000 and 32767 and prints "listening PORT" once it answers. Each message accepted is
appended to RECORD_FILE as one JSON line: the envelope ("mail_from", "rcpt_tos"), the raw message ("data"),
what a mail reader shows once it has decoded the message ("subject", "from", "to", "message_id", "headers"
with names in lower case, "body"), whether the session had logged in ("authenticated") and used STARTTLS
("tls"), and "received_at".

--auth offers AUTH PLAIN and LOGIN without TLS and refuses mail from a session that has not logged in.
--tls offers STARTTLS with the given certificate. --refuse answers 550 to RCPT TO that address.
Exits when its parent (the test process) is gone, or after --lifetime seconds (default 900).
"""
import argparse
import email
import email.policy
import errno
import json
import os
import random
import ssl
import threading
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("record")
parser.add_argument("--auth")
parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
parser.add_argument("--refuse", action="append", default=[])
parser.add_argument("--lifetime", type=float, default=900.0)
arguments = parser.parse_args()
LOCK = threading.Lock()
# AUTH without TLS is what a test of a plain relay wants; the warning would only fill the test's output.
warnings.simplefilter("ignore")


class Recorder:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in arguments.refuse:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        message = email.message_from_bytes(data, policy=email.policy.default)
        entry = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "data": data.decode("utf-8", errors="replace"),
            "subject": str(message["subject"]),
            "from": str(message["from"]),
            "to": str(message["to"]),
            "message_id": str(message["message-id"]),
            "headers": {name.lower(): str(value) for name, value in message.items()},
            "body": message.get_content().replace("\r\n", "\n"),
            "authenticated": bool(session.authenticated),
            "tls": session.ssl is not None,
            "received_at": time.time(),
        }
        with LOCK:
            with open(arguments.record, "a") as handle:
                handle.write(json.dumps(entry) + "\n")
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    user, _, password = arguments.auth.partition(":")
    if isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() \
            and auth_data.password == password.encode():
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


def start():
    options = {}
    if arguments.auth:
        options.update(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    if arguments.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(arguments.tls[0], arguments.tls[1])
        options.update(tls_context=context)
    for _ in range(200):
        port = random.randint(20000, 32767)
        controller = Controller(Recorder(), hostname="127.0.0.1", port=port, **options)
        try:
            controller.start()
            return controller
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            try:
                controller.stop()
            except Exception:
                pass
    raise SystemExit("no free port between 20000 and 32767")


controller = start()
print("listening", controller.port, flush=True)
parent = os.getppid()
deadline = time.monotonic() + arguments.lifetime
while os.getppid() == parent and time.monotonic() < deadline:
    time.sleep(0.5)
controller.stop()
