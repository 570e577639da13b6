//! What a sent file really is, judged by its first bytes rather than its name or the type
//! the browser claims.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
}

impl FileKind {
    #[must_use]
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
        }
    }

    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpg",
        }
    }

    #[must_use]
    pub fn is_image(self) -> bool {
        self != FileKind::Pdf
    }

    #[must_use]
    pub fn parse(content_type: &str) -> Option<Self> {
        [FileKind::Pdf, FileKind::Png, FileKind::Jpeg].into_iter().find(|k| k.content_type() == content_type)
    }
}

/// The kind of file `bytes` holds, if Haven accepts it.
#[must_use]
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else {
        None
    }
}

/// A file name safe to offer for download: the original's stem (letters, digits, spaces,
/// dashes, underscores, dots; at most 80 characters) and the real kind's extension.
#[must_use]
pub fn download_name(original: &str, kind: FileKind) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let clean: String = stem.chars().filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.')).take(80).collect();
    let clean = clean.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let stem = if clean.is_empty() { "attachment" } else { clean };
    format!("{stem}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_content_not_names() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE1]), Some(FileKind::Jpeg));
        assert_eq!(sniff(b"MZ\x90\0 an .exe called photo.jpg"), None);
        assert_eq!(sniff(b"<html><script>"), None);
    }

    #[test]
    fn download_names_are_tame() {
        assert_eq!(download_name("../../etc/passwd", FileKind::Pdf), "passwd.pdf");
        assert_eq!(download_name("worksheet week 3.PDF", FileKind::Pdf), "worksheet week 3.pdf");
        assert_eq!(download_name("evil\"; filename=x.html.png", FileKind::Png), "evil filenamex.html.png");
        assert_eq!(download_name("", FileKind::Jpeg), "attachment.jpg");
    }
}
