//! Files sent with messages: PDF and common images, judged by content; images are decoded
//! and re-encoded, so EXIF data (camera, location) never leaves the sender's phone for
//! anyone else; the original's orientation is applied first so photos stay upright.

use std::io::Cursor;

use haven_domain::messaging::{FileKind, download_name, sniff};
use image::{DynamicImage, ImageDecoder as _, ImageFormat, ImageReader, Limits};

/// A file already checked and cleaned, ready to seal.
pub struct CleanFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Largest picture side decoded (a decompression bomb stops here).
const MAX_SIDE: u32 = 10_000;

pub fn clean(original_name: &str, bytes: Vec<u8>, max_bytes: usize) -> Result<CleanFile, &'static str> {
    if bytes.len() > max_bytes {
        return Err("message-error-file-large");
    }
    let kind = sniff(&bytes).ok_or("message-error-file-type")?;
    let bytes = if kind.is_image() { reencode(&bytes, kind).ok_or("message-error-file-broken")? } else { bytes };
    Ok(CleanFile { name: download_name(original_name, kind), content_type: kind.content_type().to_owned(), bytes })
}

fn reencode(bytes: &[u8], kind: FileKind) -> Option<Vec<u8>> {
    let format = if kind == FileKind::Png { ImageFormat::Png } else { ImageFormat::Jpeg };
    let picture = decode(bytes, kind)?;
    let mut out = Cursor::new(Vec::new());
    match format {
        ImageFormat::Png => picture.write_to(&mut out, ImageFormat::Png).ok()?,
        _ => DynamicImage::ImageRgb8(picture.to_rgb8()).write_to(&mut out, ImageFormat::Jpeg).ok()?,
    }
    Some(out.into_inner())
}

/// Decodes a PNG or JPEG within safe limits, upright (its EXIF orientation applied).
pub fn decode(bytes: &[u8], kind: FileKind) -> Option<DynamicImage> {
    let format = match kind {
        FileKind::Png => ImageFormat::Png,
        FileKind::Jpeg => ImageFormat::Jpeg,
        _ => return None,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().ok()?;
    let orientation = decoder.orientation().ok()?;
    let mut picture = DynamicImage::from_decoder(decoder).ok()?;
    picture.apply_orientation(orientation);
    Some(picture)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2×1 JPEG with an EXIF block naming a place.
    fn jpeg_with_exif() -> Vec<u8> {
        let mut plain = Cursor::new(Vec::new());
        DynamicImage::ImageRgb8(image::RgbImage::from_pixel(2, 1, image::Rgb([200, 10, 10]))).write_to(&mut plain, ImageFormat::Jpeg).unwrap();
        let plain = plain.into_inner();
        let payload = b"Exif\0\0MM\0*\0\0\0\x08\0\0GPS Latitude 45.5231 Portland";
        let mut app1 = vec![0xFF, 0xE1];
        app1.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        app1.extend_from_slice(payload);
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&app1);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn images_lose_their_exif() {
        let original = jpeg_with_exif();
        assert!(original.windows(4).any(|w| w == b"Exif"));
        let clean = clean("holiday.JPG", original, 1 << 20).unwrap();
        assert_eq!(clean.content_type, "image/jpeg");
        assert_eq!(clean.name, "holiday.jpg");
        assert!(!clean.bytes.windows(4).any(|w| w == b"Exif"), "EXIF removed");
        assert!(!clean.bytes.windows(8).any(|w| w == b"Portland"));
        assert!(image::load_from_memory(&clean.bytes).is_ok(), "still a picture");
    }

    #[test]
    fn wrong_broken_and_large_files_are_refused() {
        assert_eq!(clean("a.pdf", b"MZ not a pdf".to_vec(), 1 << 20).err(), Some("message-error-file-type"));
        assert_eq!(clean("a.png", b"\x89PNG\r\n\x1a\ngarbage".to_vec(), 1 << 20).err(), Some("message-error-file-broken"));
        assert_eq!(clean("a.pdf", vec![b'%'; 100], 10).err(), Some("message-error-file-large"));
        let pdf = clean("plan.pdf", b"%PDF-1.4\n%\xe2\xe3\n".to_vec(), 1 << 20).unwrap();
        assert_eq!((pdf.name.as_str(), pdf.content_type.as_str()), ("plan.pdf", "application/pdf"));
    }
}
