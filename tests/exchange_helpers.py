"""Test keys for the exchange tests: a test CA and PKCS#12 keys made with ``cryptography``, and
the sample registry with identifier codes (the sample's organisations have none)."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "test-only-password"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "edxml"
CODED = FIXTURES / "codes"  # overlay: organisation files with (illustrative) codes


@dataclass(frozen=True)
class Pki:
    """A CA (PEM file) and keys signed by it, plus one self-signed key nobody trusts."""

    ca_pem: Path
    person: Path
    organisation: Path
    stranger: Path


def _name(common: str, org: str = "Bộ Nội vụ") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(subject: x509.Name, key: rsa.RSAPrivateKey, issuer: x509.Name,
                 issuer_key: rsa.RSAPrivateKey, *, ca: bool) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=not ca,
                                            key_encipherment=False, data_encipherment=False,
                                            key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                                            encipher_only=False, decipher_only=False),
                              critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                              critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   issuer_key.public_key()), critical=False))
    if not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage(
            [ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _p12(path: Path, name: str, key: rsa.RSAPrivateKey, cert: x509.Certificate,
         chain: list[x509.Certificate]) -> Path:
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, chain or None,
        serialization.BestAvailableEncryption(PASSWORD.encode())))
    return path


def make_pki(folder: Path) -> Pki:
    """A test CA, a person's and an organisation's key signed by it, and a stranger's key."""
    folder.mkdir(parents=True, exist_ok=True)
    ca_key = _key()
    ca_name = _name("Test CA committee-cli", "Test CA")
    ca = _certificate(ca_name, ca_key, ca_name, ca_key, ca=True)
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    keys = {}
    for stem, common in (("person", "Phạm Thị Thanh Trà"), ("organisation", "Bộ Nội vụ")):
        key = _key()
        cert = _certificate(_name(common), key, ca_name, ca_key, ca=False)
        keys[stem] = _p12(folder / f"{stem}.p12", stem, key, cert, [ca])
    stranger_key = _key()
    stranger_name = _name("Người lạ", "Không ai tin")
    stranger = _certificate(stranger_name, stranger_key, stranger_name, stranger_key, ca=False)
    return Pki(folder / "ca.pem", keys["person"], keys["organisation"],
                   _p12(folder / "stranger.p12", "stranger", stranger_key, stranger, []))


def coded_registry(sample: Path) -> Path:
    """The sample registry with the fixture's identifier codes and issuer (files overlaid)."""
    for source in CODED.rglob("*.yaml"):
        target = sample / source.relative_to(CODED)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return sample
