//! The one content hash of matome: SHA-256 (the `sha2` crate), for every cache key and
//! every name hashed from content, in the compiler and in the site. Its output is fixed
//! by its standard, so it is the same on every platform and with every Rust release
//! (std's `DefaultHasher` is not), and it is what the `sha256-` values of a CSP need.
//!
//! The compiler's caches key their entries by a [`Digest`], the first 16 bytes of the
//! SHA-256: a key over the author's own files, where 128 bits make an accidental
//! collision negligible.

use sha2::Digest as _;

/// A full SHA-256.
pub type Sha256 = [u8; 32];

/// The first 16 bytes of a SHA-256: the key of the compiler's caches.
pub type Digest = [u8; 16];

/// A running SHA-256. `write!` feeds it too (text without a `String`).
#[derive(Clone, Default)]
pub struct Hasher(sha2::Sha256);

impl Hasher {
    /// An empty hasher.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `bytes`.
    pub fn update(&mut self, bytes: impl AsRef<[u8]>) {
        self.0.update(bytes.as_ref());
    }

    /// Adds `bytes` prefixed by their length, so that `["ab", "c"]` and `["a", "bc"]`
    /// fed part by part differ.
    pub fn part(&mut self, bytes: impl AsRef<[u8]>) {
        let bytes = bytes.as_ref();
        self.update((bytes.len() as u64).to_le_bytes());
        self.update(bytes);
    }

    /// The SHA-256 of what was added.
    pub fn finalize(self) -> Sha256 {
        self.0.finalize().into()
    }

    /// The [`Digest`] of what was added.
    pub fn digest(self) -> Digest {
        truncate(&self.finalize())
    }
}

impl std::fmt::Write for Hasher {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.update(s);
        Ok(())
    }
}

fn truncate(full: &Sha256) -> Digest {
    let mut d = Digest::default();
    d.copy_from_slice(&full[..16]);
    d
}

/// The SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> Sha256 {
    sha2::Sha256::digest(bytes).into()
}

/// The [`Digest`] of `bytes`.
pub fn digest(bytes: &[u8]) -> Digest {
    truncate(&sha256(bytes))
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The bytes of lower-case or upper-case hex `s`, if it is exactly `N` bytes' worth.
pub fn parse_hex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    if s.len() != 2 * N {
        return None;
    }
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Lower-case hex SHA-256 of `parts`, each prefixed by its length ([`Hasher::part`]).
pub fn hex_digest(parts: &[&[u8]]) -> String {
    let mut h = Hasher::new();
    for p in parts {
        h.part(p);
    }
    hex(&h.finalize())
}

/// The first 16 hex digits of the SHA-256 of `bytes` (length-prefixed, as
/// [`hex_digest`]): the part that goes into file names.
pub fn short_hash(bytes: &[u8]) -> String {
    hex_digest(&[bytes])[..16].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The published SHA-256 test vectors ("" and "abc", FIPS 180-2).
    #[test]
    fn sha256_matches_the_reference_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hex(&digest(b"abc")), "ba7816bf8f01cfea414140de5dae2223");
    }

    // Fed in pieces or at once, the hash is the same; length-prefixed parts tell
    // where one part ends.
    #[test]
    fn pieces_hash_as_the_whole_and_parts_keep_their_borders() {
        let mut h = Hasher::new();
        h.update("a");
        h.update(b"bc");
        assert_eq!(h.finalize(), sha256(b"abc"));
        assert_ne!(hex_digest(&[b"ab", b"c"]), hex_digest(&[b"a", b"bc"]));
        assert_eq!(short_hash(b"x").len(), 16);
    }

    // Hex goes there and back; a wrong length or a non-hex digit gives nothing.
    #[test]
    fn hex_round_trips() {
        let d = digest(b"post");
        assert_eq!(parse_hex::<16>(&hex(&d)), Some(d));
        assert_eq!(parse_hex::<16>(&hex(&d)[1..]), None);
        assert_eq!(parse_hex::<1>("0g"), None);
        assert_eq!(parse_hex::<2>("00ff"), Some([0, 255]));
    }
}
