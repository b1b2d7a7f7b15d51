//! One append-only file that holds each post's search text from parsing until the month
//! search shards are written, so the text of all posts is never in memory at once.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where a text was put in a [`Spool`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpoolRef {
    offset: u64,
    len: usize,
}

/// The spool file and its length so far.
#[derive(Debug)]
pub struct Spool {
    path: PathBuf,
    file: Mutex<(File, u64)>,
}

impl Spool {
    /// Creates (or empties) the spool file at `path`.
    pub fn create(path: &Path) -> io::Result<Spool> {
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)?;
        Ok(Spool {
            path: path.to_path_buf(),
            file: Mutex::new((file, 0)),
        })
    }

    /// The file, for messages and for removing it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `text`.
    pub fn put(&self, text: &str) -> io::Result<SpoolRef> {
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let (file, end) = &mut *guard;
        file.seek(SeekFrom::Start(*end))?;
        file.write_all(text.as_bytes())?;
        let at = SpoolRef {
            offset: *end,
            len: text.len(),
        };
        *end += text.len() as u64;
        Ok(at)
    }

    /// Reads back a text put earlier.
    pub fn get(&self, at: SpoolRef) -> io::Result<String> {
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let (file, _) = &mut *guard;
        file.seek(SeekFrom::Start(at.offset))?;
        let mut bytes = vec![0; at.len];
        file.read_exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Texts come back as they were put, in any order.
    #[test]
    fn gives_back_what_was_put() {
        let path = std::env::temp_dir().join(format!("matome-spool-test-{}", std::process::id()));
        let spool = Spool::create(&path).unwrap();
        let a = spool.put("最初の text").unwrap();
        let b = spool.put("").unwrap();
        let c = spool.put("三つめ").unwrap();
        assert_eq!(spool.get(c).unwrap(), "三つめ");
        assert_eq!(spool.get(a).unwrap(), "最初の text");
        assert_eq!(spool.get(b).unwrap(), "");
        std::fs::remove_file(path).unwrap();
    }
}
