//! Which certificates the client trusts: the platform verifier, or with
//! `--cacert FILE` the system store plus the file's certificates.

use std::io::Read;
use std::path::Path;

use ureq::tls::{Certificate, PemItem, RootCerts};

use super::Error;

/// A CA file larger than this is not a PEM bundle anyone meant to pass.
const MAX_CA_FILE: u64 = 4 * 1024 * 1024;

/// The system store plus the file's certificates.
pub(super) fn roots_with(path: &Path) -> Result<RootCerts, Error> {
    let fail = |reason: String| Error::CaFile {
        path: path.to_path_buf(),
        reason,
    };
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let mut pem = Vec::new();
    file.take(MAX_CA_FILE + 1)
        .read_to_end(&mut pem)
        .map_err(|e| fail(e.to_string()))?;
    if pem.len() as u64 > MAX_CA_FILE {
        return Err(fail(
            "it is larger than 4 MB; expected a PEM certificate".into(),
        ));
    }
    let mut certs: Vec<Certificate<'static>> = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(_) => return Err(fail("it is not a valid PEM file".into())),
        }
    }
    if certs.is_empty() {
        return Err(fail(
            "no certificate in it (expected PEM, -----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    // Errors reading parts of the system store leave the rest (and the file) usable.
    let system = rustls_native_certs::load_native_certs();
    certs.extend(
        system
            .certs
            .iter()
            .map(|der| Certificate::from_der(der.as_ref()).to_owned()),
    );
    Ok(RootCerts::new_with_certs(&certs))
}

#[cfg(test)]
mod tests {
    use crate::http::{Client, Options};

    #[test]
    fn ca_file_problems_are_one_line() {
        let dir = tempfile::tempdir().expect("should succeed");
        let missing = dir.path().join("missing.pem");
        let err = Client::new(Options {
            cacert: Some(missing),
            ..Options::default()
        })
        .expect_err("should fail");
        assert!(
            err.to_string().starts_with("cannot use the CA file"),
            "{err}"
        );
        let junk = dir.path().join("junk.pem");
        std::fs::write(&junk, "not a certificate").expect("should succeed");
        let err = Client::new(Options {
            cacert: Some(junk),
            ..Options::default()
        })
        .expect_err("should fail");
        assert!(err.to_string().contains("no certificate"), "{err}");
    }
}
