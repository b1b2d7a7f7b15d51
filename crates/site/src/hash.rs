//! Content hashes for cache keys and long-lived file names.

use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256 of the concatenation of `parts`, each prefixed by its length
/// (so `["ab", "c"]` and `["a", "bc"]` differ).
pub fn hex_digest(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The first 16 hex digits of the content hash: the part that goes into file names.
pub fn short_hash(bytes: &[u8]) -> String {
    hex_digest(&[bytes])[..16].to_string()
}
