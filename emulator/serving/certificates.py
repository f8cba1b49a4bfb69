"""``opencrm-emulator cert --out DIR``: a local CA and a server certificate, so a client whose
base URL names a real OpenCRM host (``https://acme.opencrm.co.uk/api/rest/``) reaches the
emulator's system ``acme`` unmodified: serve HTTPS with the certificate, point the name at
the emulator, trust the CA. Made with trustme (the ``tls`` extra); the CA's private key is
never written, so nothing else can be signed with it."""

from __future__ import annotations

import sys
from pathlib import Path

NAMES = ("*.opencrm.co.uk", "*.localhost", "localhost", "127.0.0.1")


def make(out: str) -> int:
    try:
        import trustme
    except ImportError:
        print(
            "opencrm-emulator cert: needs the tls extra: pip install 'opencrm-emulator[tls]'",
            file=sys.stderr,
        )
        return 2
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    authority = trustme.CA(organization_name="opencrm-emulator local CA")
    server = authority.issue_cert(*NAMES)
    authority.cert_pem.write_to_path(str(folder / "ca.pem"))
    server.cert_chain_pems[0].write_to_path(str(folder / "server.pem"))
    server.private_key_pem.write_to_path(str(folder / "server-key.pem"))
    (folder / "server-key.pem").chmod(0o600)
    print(instructions(folder))
    return 0


def instructions(folder: Path) -> str:
    ca, cert, key = (folder / name for name in ("ca.pem", "server.pem", "server-key.pem"))
    return f"""\
wrote {ca} (a local CA), {cert} and {key}
  (the server certificate and its key, for {", ".join(NAMES)})
serve HTTPS with them (443 is the port a hard-coded https:// base URL reaches):
  opencrm-emulator serve --port 443 --ssl-certfile {cert} --ssl-keyfile {key}
point a system's name at the emulator, e.g. for the system acme, one of:
  /etc/hosts:    127.0.0.1 acme.opencrm.co.uk
  curl:          curl --resolve acme.opencrm.co.uk:443:127.0.0.1 --cacert {ca} ...
  docker:        docker run --add-host acme.opencrm.co.uk:host-gateway ...
trust the CA in the client's environment:
  export SSL_CERT_FILE={ca} REQUESTS_CA_BUNDLE={ca}"""
