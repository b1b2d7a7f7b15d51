//! The release app inside the `matome` binary, so that one file builds a site: no Rust,
//! Trunk, Node or make on the author's machine.
//!
//! `make matome` builds `matome`, prepares the app (`make app`), then runs
//! `matome embed-app --app target/app --out target/matome`: a copy of the binary with the
//! app's files appended, brotli-compressed, followed by a trailer. An executable runs
//! the same with bytes after its end (the loader maps the segments its headers name),
//! so nothing is compiled twice. At run time [`app_dir`] reads the trailer of the
//! running executable and unpacks the app once into the site's cache folder, in a folder
//! named after the payload's hash; `matome build` and `matome serve` publish from it.
//!
//! Layout after the executable: the payload, its length (u64, little-endian), then
//! [`MAGIC`]. The payload, once decompressed, is a list of files, each its name's
//! length (u32 LE), its name (UTF-8, no folders), its length (u64 LE) and its bytes.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use matome_compiler::hash::short_hash;

/// The last bytes of a binary with an app inside.
pub(crate) const MAGIC: &[u8; 8] = b"MATOMEA1";

/// The most the payload may take (a corrupt trailer must not make us read gigabytes).
const MAX_PAYLOAD: u64 = 256 << 20;

/// The name, inside the payload, of what the binary was built from (not unpacked):
/// `key=value` lines, `commit` (the matome commit) and `rustc` (its version).
const BUILD_INFO: &str = ".build-info";

/// What a binary with an app inside was built from, as `make matome` told `embed-app`.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct BuildInfo {
    /// The matome commit (`git rev-parse HEAD`).
    pub commit: Option<String>,
    /// The Rust version (`1.95.0`).
    pub rustc: Option<String>,
}

/// `matome embed-app --app DIR --out FILE [--commit SHA] [--rustc VERSION]`.
pub(crate) fn embed(app: &Path, out: &Path, info: &BuildInfo) -> ExitCode {
    match embed_into(app, out, info) {
        Ok((files, payload, total)) => {
            println!(
                "{}: {total} bytes, with the app inside ({files} files, {payload} bytes compressed)",
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("matome: embed-app: {e}");
            ExitCode::from(1)
        }
    }
}

fn embed_into(app: &Path, out: &Path, info: &BuildInfo) -> Result<(usize, u64, u64), String> {
    let at = |p: &Path| {
        let p = p.display().to_string();
        move |e: std::io::Error| format!("{p}: {e}")
    };
    if !app.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: give the folder `make app` prepared",
            app.display()
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(app).map_err(at(app))? {
        let entry = entry.map_err(at(app))?;
        if entry.file_type().map_err(at(app))?.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    let mut raw = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| {
        raw.extend_from_slice(&(name.len() as u32).to_le_bytes());
        raw.extend_from_slice(name.as_bytes());
        raw.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        raw.extend_from_slice(bytes);
    };
    for name in &names {
        let bytes = std::fs::read(app.join(name)).map_err(at(&app.join(name)))?;
        put(name, &bytes);
    }
    let mut text = String::new();
    for (key, value) in [("commit", &info.commit), ("rustc", &info.rustc)] {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            text.push_str(&format!("{key}={v}\n"));
        }
    }
    put(BUILD_INFO, text.as_bytes());
    let mut payload = Vec::new();
    {
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut &raw[..], &mut payload, &params)
            .map_err(|e| format!("compressing the app: {e}"))?;
    }

    // This binary without an app it may already carry.
    let exe = std::env::current_exe().map_err(|e| format!("this executable: {e}"))?;
    let mut binary = std::fs::read(&exe).map_err(at(&exe))?;
    if let Some(len) = trailer(&binary) {
        binary.truncate(binary.len() - 16 - len as usize);
    }
    let tmp = out.with_extension("new");
    let written = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&binary)?;
        f.write_all(&payload)?;
        f.write_all(&(payload.len() as u64).to_le_bytes())?;
        f.write_all(MAGIC)?;
        f.sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o755))?;
        }
        Ok(())
    })();
    written.map_err(at(&tmp))?;
    std::fs::rename(&tmp, out).map_err(at(out))?;
    let total = (binary.len() + payload.len() + 16) as u64;
    Ok((names.len(), payload.len() as u64, total))
}

/// The payload's length, when `bytes` (a whole binary) ends with a trailer.
fn trailer(bytes: &[u8]) -> Option<u64> {
    let end = bytes.len().checked_sub(16)?;
    parse_trailer(&bytes[end..]).filter(|len| *len <= end as u64)
}

/// The payload's length the last 16 bytes of a binary give, if they are a trailer.
fn parse_trailer(tail: &[u8]) -> Option<u64> {
    let (len, magic) = tail.split_at_checked(8)?;
    if magic != MAGIC {
        return None;
    }
    let len = u64::from_le_bytes(len.try_into().ok()?);
    (len <= MAX_PAYLOAD).then_some(len)
}

/// The compressed app inside the running executable, if it has one.
fn payload() -> Result<Option<Vec<u8>>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("this executable: {e}"))?;
    let at = |e: std::io::Error| format!("{}: {e}", exe.display());
    let mut f = std::fs::File::open(&exe).map_err(at)?;
    let size = f.metadata().map_err(at)?.len();
    if size < 16 {
        return Ok(None);
    }
    let mut tail = [0u8; 16];
    f.seek(SeekFrom::End(-16)).map_err(at)?;
    f.read_exact(&mut tail).map_err(at)?;
    let Some(len) = parse_trailer(&tail).filter(|len| *len <= size - 16) else {
        return Ok(None);
    };
    let mut payload = vec![0u8; len as usize];
    f.seek(SeekFrom::Start(size - 16 - len)).map_err(at)?;
    f.read_exact(&mut payload).map_err(at)?;
    Ok(Some(payload))
}

/// The first `n` bytes of `rest`, which moves past them.
fn take<'a>(n: usize, rest: &mut &'a [u8]) -> Result<&'a [u8], String> {
    if rest.len() < n {
        return Err(DAMAGED.into());
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

const DAMAGED: &str = "the app inside this binary is damaged: build it again";

/// The files of a decompressed payload.
fn files(raw: &[u8]) -> Result<Vec<(String, &[u8])>, String> {
    let bad = || DAMAGED.to_string();
    let mut files = Vec::new();
    let mut rest = raw;
    while !rest.is_empty() {
        let n = u32::from_le_bytes(take(4, &mut rest)?.try_into().map_err(|_| bad())?) as usize;
        let name = std::str::from_utf8(take(n, &mut rest)?).map_err(|_| bad())?;
        let hidden = name.starts_with('.') && name != BUILD_INFO;
        if name.is_empty() || name.contains(['/', '\\']) || hidden {
            return Err(bad());
        }
        let len = u64::from_le_bytes(take(8, &mut rest)?.try_into().map_err(|_| bad())?);
        let bytes = take(usize::try_from(len).map_err(|_| bad())?, &mut rest)?;
        files.push((name.to_string(), bytes));
    }
    Ok(files)
}

/// The app inside this binary, unpacked into `cache/app-<hash>/` (once: a later call
/// finds it there). `None` when the binary has no app inside.
pub(crate) fn app_dir(cache: &Path) -> Result<Option<PathBuf>, String> {
    let Some(payload) = payload()? else {
        return Ok(None);
    };
    let dir = cache.join(format!("app-{}", short_hash(&payload)));
    if dir.join("index.html").is_file() {
        return Ok(Some(dir));
    }
    let mut raw = Vec::new();
    brotli::BrotliDecompress(&mut &payload[..], &mut raw).map_err(|_| DAMAGED.to_string())?;
    let files = files(&raw)?;
    let at = |p: &Path| {
        let p = p.display().to_string();
        move |e: std::io::Error| format!("{p}: {e}")
    };
    std::fs::create_dir_all(cache).map_err(at(cache))?;
    // Unpacked beside, then renamed: a build stopped half-way leaves no partial app.
    let tmp = tempfile_dir(cache).map_err(at(cache))?;
    for (name, bytes) in files.into_iter().filter(|(n, _)| n != BUILD_INFO) {
        let path = tmp.join(&name);
        std::fs::write(&path, bytes).map_err(at(&path))?;
    }
    match std::fs::rename(&tmp, &dir) {
        Ok(()) => {}
        // Another build unpacked it meanwhile.
        Err(_) if dir.join("index.html").is_file() => {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        Err(e) => return Err(at(&dir)(e)),
    }
    // Apps of older binaries go.
    if let Ok(entries) = std::fs::read_dir(cache) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with("app-") && entry.path() != dir {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    Ok(Some(dir))
}

/// What this binary was built from; `None` when it has no app inside.
pub(crate) fn build_info() -> Result<Option<BuildInfo>, String> {
    let Some(payload) = payload()? else {
        return Ok(None);
    };
    let mut raw = Vec::new();
    brotli::BrotliDecompress(&mut &payload[..], &mut raw).map_err(|_| DAMAGED.to_string())?;
    let mut info = BuildInfo::default();
    if let Some((_, text)) = files(&raw)?.into_iter().find(|(n, _)| n == BUILD_INFO) {
        for line in String::from_utf8_lossy(text).lines() {
            match line.split_once('=') {
                Some(("commit", v)) => info.commit = Some(v.to_string()),
                Some(("rustc", v)) => info.rustc = Some(v.to_string()),
                _ => {}
            }
        }
    }
    Ok(Some(info))
}

/// A new empty folder in `parent` (named after the process and the time).
fn tempfile_dir(parent: &Path) -> std::io::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = parent.join(format!(".app-unpacking-{}-{nanos}", std::process::id()));
    std::fs::create_dir(&dir)?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailer_is_found_only_when_it_fits() {
        let mut bin = b"ELF...code".to_vec();
        assert_eq!(trailer(&bin), None);
        bin.extend_from_slice(b"payload");
        bin.extend_from_slice(&7u64.to_le_bytes());
        bin.extend_from_slice(MAGIC);
        assert_eq!(trailer(&bin), Some(7));
        let n = bin.len();
        bin[n - 16..n - 8].copy_from_slice(&1000u64.to_le_bytes());
        assert_eq!(trailer(&bin), None, "longer than the file");
    }

    #[test]
    fn files_round_trip_and_damage_is_refused() {
        let mut raw = Vec::new();
        for (name, bytes) in [("index.html", &b"<html>"[..]), ("a.wasm", b"\0asm")] {
            raw.extend_from_slice(&(name.len() as u32).to_le_bytes());
            raw.extend_from_slice(name.as_bytes());
            raw.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            raw.extend_from_slice(bytes);
        }
        let got = files(&raw).unwrap();
        assert_eq!(got[0], ("index.html".to_string(), &b"<html>"[..]));
        assert_eq!(got[1], ("a.wasm".to_string(), &b"\0asm"[..]));
        assert!(files(&raw[..raw.len() - 1]).is_err());
        let mut escape = Vec::new();
        escape.extend_from_slice(&5u32.to_le_bytes());
        escape.extend_from_slice(b"../x1");
        escape.extend_from_slice(&0u64.to_le_bytes());
        assert!(files(&escape).is_err(), "a name with a folder");
    }
}
