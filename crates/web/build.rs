// A panic is how a build script reports failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Embeds `static/` into the binary under content-hashed names (`app.3f9c2a81d0.css`), so
//! browsers may cache each asset forever and a new release can never be served stale.

use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest as _, Sha256};

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("ogg") => "audio/ogg",
        Some("json" | "webmanifest") => "application/json",
        _ => "application/octet-stream",
    }
}

fn main() {
    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("static");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    let mut out = String::from("pub static ASSETS: &[Asset] = &[\n");
    for path in entries.into_iter().filter(|p| p.is_file()) {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let bytes = std::fs::read(&path).unwrap();
        let hash = hex::encode(&Sha256::digest(&bytes)[..5]);
        let hashed = match name.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
            None => format!("{name}.{hash}"),
        };
        writeln!(
            out,
            "    Asset {{ name: {name:?}, hashed: {hashed:?}, content_type: {:?}, bytes: include_bytes!({:?}) }},",
            content_type(&name),
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("assets.rs");
    std::fs::write(dest, out).unwrap();
}
