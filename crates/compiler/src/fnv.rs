//! FNV-1a, 128 bits: the digest the compiler's caches key their entries by. Not a
//! cryptographic hash (the compiler stays free of hashing crates; the site does content
//! hashing): a cache key over the author's own files, where 128 bits make an accidental
//! collision negligible. Small, and stable across platforms and Rust versions.

/// A 128-bit FNV-1a digest, big-endian.
pub type Digest = [u8; 16];

/// The running state of an FNV-1a digest.
pub(crate) struct Fnv(u128);

impl Fnv {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    pub(crate) fn new() -> Fnv {
        Fnv(Fnv::OFFSET)
    }

    pub(crate) fn update(&mut self, bytes: impl AsRef<[u8]>) {
        for &b in bytes.as_ref() {
            self.0 = (self.0 ^ u128::from(b)).wrapping_mul(Fnv::PRIME);
        }
    }

    pub(crate) fn finalize(&self) -> Digest {
        self.0.to_be_bytes()
    }
}

/// The digest of `bytes`.
pub(crate) fn of(bytes: &[u8]) -> Digest {
    let mut h = Fnv::new();
    h.update(bytes);
    h.finalize()
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The published FNV-1a 128-bit test vectors.
    #[test]
    fn fnv_1a_128_matches_the_reference_vectors() {
        assert_eq!(
            u128::from_be_bytes(of(b"")),
            0x6c62272e07bb014262b821756295c58d
        );
        assert_eq!(
            u128::from_be_bytes(of(b"a")),
            0xd228cb696f1a8caf78912b704e4a8964
        );
    }
}
