"""Signing keys: a PKCS#12 file (``.p12``/``.pfx``) read with ``cryptography``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12


class KeyUnreadable(ValueError):
    """The key file cannot be read with the password given."""


@dataclass(frozen=True)
class KeyBundle:
    """A private key, its certificate and the chain that came with it."""

    key: Any
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def subject(self) -> str:
        """The certificate's subject, RFC 4514 (``CN=…,O=…``)."""
        return self.certificate.subject.rfc4514_string()


def load_pkcs12(path: Path, password: str) -> KeyBundle:
    """The key, certificate and chain in a PKCS#12 file."""
    data = path.read_bytes()
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password.encode("utf-8"))
    except ValueError as exc:
        raise KeyUnreadable(str(exc) or "wrong password or not a PKCS#12 file") from None
    if key is None or cert is None:
        raise KeyUnreadable("the file holds no private key with its certificate")
    return KeyBundle(key, cert, tuple(chain or ()))


def load_certificates(path: Path) -> list[x509.Certificate]:
    """Every certificate in a PEM (or one DER) file."""
    data = path.read_bytes()
    try:
        if b"-----BEGIN" in data:
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise KeyUnreadable(f"not a certificate file: {exc}") from None
