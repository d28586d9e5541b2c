//! Turns an uploaded photo into the two JPEG derivatives we serve.
//!
//! The type comes from the bytes, never the file name. Decoding runs under pixel and
//! allocation limits, so a small file that claims a huge canvas is refused before any
//! large allocation. The derivatives are re-encoded from pixels, so no metadata of the
//! upload (camera, GPS, time) survives into what is served; the original is not kept.

use super::scaled_jpeg;
use crate::domain::LonLat;
use exif::{In, Tag};
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// Bounds on what an upload may be.
#[derive(Debug, Clone, Copy)]
pub struct PhotoLimits {
    pub max_bytes: usize,
    /// Largest width or height accepted, in pixels.
    pub max_side: u32,
    /// Largest width × height accepted.
    pub max_pixels: u64,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        Self {
            max_bytes: 15 * 1024 * 1024,
            max_side: 12_000,
            max_pixels: 50_000_000,
        }
    }
}

/// The image formats we accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoFormat {
    Jpeg,
    Png,
    Webp,
}

impl PhotoFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "jpeg",
            PhotoFormat::Png => "png",
            PhotoFormat::Webp => "webp",
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            PhotoFormat::Jpeg => ImageFormat::Jpeg,
            PhotoFormat::Png => ImageFormat::Png,
            PhotoFormat::Webp => ImageFormat::WebP,
        }
    }
}

/// Why a photo was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the photo is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: usize },
    #[error("HEIC photos are not supported")]
    Heic,
    #[error("the file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the image has more than {max_pixels} pixels or {max_side} on a side")]
    TooManyPixels { max_side: u32, max_pixels: u64 },
    #[error("the image is damaged and cannot be read")]
    Corrupt,
}

/// A photo ready to store: derivatives without metadata, and what we learned from it.
pub struct ProcessedPhoto {
    pub original_sha256: String,
    pub format: PhotoFormat,
    /// Size after applying the EXIF orientation.
    pub width: u32,
    pub height: u32,
    pub thumb_jpeg: Vec<u8>,
    pub display_jpeg: Vec<u8>,
    /// Where the camera said it was, if it said.
    pub gps: Option<LonLat>,
}

impl std::fmt::Debug for ProcessedPhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcessedPhoto")
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("has_gps", &self.gps.is_some())
            .finish_non_exhaustive()
    }
}

const THUMB_SIDE: u32 = 320;
const DISPLAY_SIDE: u32 = 1600;
const JPEG_QUALITY: u8 = 82;

/// What a photo's headers say, read without decoding its pixels.
#[derive(Debug, Clone, Copy)]
pub struct InspectedPhoto {
    pub format: PhotoFormat,
    /// Size as stored, before the EXIF orientation.
    width: u32,
    height: u32,
    orientation: Option<Orientation>,
    /// Where the camera said it was, if it said.
    pub gps: Option<LonLat>,
    /// Memory the decode holds at its peak, in bytes.
    pub decode_bytes: u64,
    /// A JPEG decoded at reduced scale, straight to about the display size.
    scaled: bool,
}

/// Room for the derivatives beside the decoded pixels: the display size as RGB, twice.
const DERIVATIVE_BYTES: u64 = 2 * 3 * (DISPLAY_SIDE as u64) * (DISPLAY_SIDE as u64);

/// Checks an upload's size, type and dimensions and reads its EXIF, without decoding any
/// pixels: cheap enough to run for every photo before any of them is decoded.
pub fn inspect_photo(bytes: &[u8], limits: &PhotoLimits) -> Result<InspectedPhoto, PhotoError> {
    if bytes.len() > limits.max_bytes {
        return Err(PhotoError::TooLarge {
            max_bytes: limits.max_bytes,
        });
    }
    let format = sniff(bytes)?;
    let decoder = decoder_for(
        bytes,
        format,
        limits.max_side,
        None,
        too_many_pixels(limits),
    )?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(PhotoError::Corrupt);
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(too_many_pixels(limits));
    }
    let exif = read_exif(bytes);
    let scaled = match format {
        PhotoFormat::Jpeg => scaled_jpeg::plan(bytes, DISPLAY_SIDE as u16),
        _ => None,
    };
    let pixel_bytes = match scaled {
        Some(scaled) => scaled.bytes,
        // Coefficients of two bytes per sample, kept whole until the last scan.
        None if format == PhotoFormat::Jpeg && scaled_jpeg::is_progressive(bytes) => {
            decoder.total_bytes().saturating_mul(3)
        }
        None => decoder.total_bytes(),
    };
    Ok(InspectedPhoto {
        format,
        width,
        height,
        orientation: exif.as_ref().and_then(orientation_of),
        gps: exif.as_ref().and_then(gps_of),
        decode_bytes: pixel_bytes.saturating_add(DERIVATIVE_BYTES),
        scaled: scaled.is_some(),
    })
}

/// Decodes an inspected photo and re-encodes its two derivatives. CPU-bound: call it off the
/// async runtime (`spawn_blocking`), admitted against a budget of `decode_bytes`.
pub fn render_photo(bytes: &[u8], photo: &InspectedPhoto) -> Result<ProcessedPhoto, PhotoError> {
    let side = photo.width.max(photo.height);
    let image = if photo.scaled {
        scaled_jpeg::decode(bytes, DISPLAY_SIDE as u16, photo.decode_bytes)
            .ok_or(PhotoError::Corrupt)?
    } else {
        // Past what its header promised, the file is lying about itself.
        let decoder = decoder_for(
            bytes,
            photo.format,
            side,
            Some(photo.decode_bytes),
            PhotoError::Corrupt,
        )?;
        DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::Corrupt)?
    };
    // Scaled first, turned after: turning the full image would copy every pixel once more.
    let mut display = if image.width().max(image.height()) > DISPLAY_SIDE {
        image.thumbnail(DISPLAY_SIDE, DISPLAY_SIDE)
    } else {
        image
    };
    let (mut width, mut height) = (photo.width, photo.height);
    if let Some(orientation) = photo.orientation {
        display.apply_orientation(orientation);
        if swaps_sides(orientation) {
            (width, height) = (height, width);
        }
    }
    let thumb = display.thumbnail(THUMB_SIDE, THUMB_SIDE);
    Ok(ProcessedPhoto {
        original_sha256: hex_sha256(bytes),
        format: photo.format,
        width,
        height,
        thumb_jpeg: encode_jpeg(&thumb)?,
        display_jpeg: encode_jpeg(&display)?,
        gps: photo.gps,
    })
}

/// Inspects and renders in one go (tests and tools; the service admits each step itself).
pub fn process_photo(bytes: &[u8], limits: &PhotoLimits) -> Result<ProcessedPhoto, PhotoError> {
    render_photo(bytes, &inspect_photo(bytes, limits)?)
}

/// A decoder that has read the header, refusing a side over `max_side` and, when given, an
/// allocation over `max_alloc`, with `over_limit`.
fn decoder_for(
    bytes: &[u8],
    format: PhotoFormat,
    max_side: u32,
    max_alloc: Option<u64>,
    over_limit: PhotoError,
) -> Result<impl ImageDecoder + '_, PhotoError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    let mut limits = Limits::default();
    limits.max_image_width = Some(max_side);
    limits.max_image_height = Some(max_side);
    limits.max_alloc = max_alloc;
    reader.limits(limits);
    reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => over_limit,
        _ => PhotoError::Corrupt,
    })
}

fn too_many_pixels(limits: &PhotoLimits) -> PhotoError {
    PhotoError::TooManyPixels {
        max_side: limits.max_side,
        max_pixels: limits.max_pixels,
    }
}

/// Whether an EXIF orientation turns the picture a quarter, so width and height swap.
fn swaps_sides(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Lower-case hex SHA-256 of `bytes`.
pub(crate) fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn sniff(bytes: &[u8]) -> Result<PhotoFormat, PhotoError> {
    if is_heif(bytes) {
        return Err(PhotoError::Heic);
    }
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(PhotoFormat::Jpeg),
        Ok(ImageFormat::Png) => Ok(PhotoFormat::Png),
        Ok(ImageFormat::WebP) => Ok(PhotoFormat::Webp),
        _ => Err(PhotoError::NotAnImage),
    }
}

/// An ISO-BMFF file whose `ftyp` brand is one of HEIF's (what iPhones save by default).
fn is_heif(bytes: &[u8]) -> bool {
    const BRANDS: [&[u8; 4]; 7] = [
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"mif1", b"msf1",
    ];
    bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && BRANDS.iter().any(|b| &bytes[8..12] == *b)
}

/// The EXIF of a photo, keeping what is readable when parts are malformed (phones and
/// editors write many slightly broken files).
fn read_exif(bytes: &[u8]) -> Option<exif::Exif> {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    reader
        .read_from_container(&mut Cursor::new(bytes))
        .or_else(|e| e.distill_partial_result(|_| {}))
        .ok()
}

fn orientation_of(exif: &exif::Exif) -> Option<Orientation> {
    let value = exif
        .get_field(Tag::Orientation, In::PRIMARY)?
        .value
        .get_uint(0)?;
    Orientation::from_exif(u8::try_from(value).ok()?)
}

fn gps_of(exif: &exif::Exif) -> Option<LonLat> {
    let degrees = |tag: Tag, negative_ref: &str, ref_tag: Tag| -> Option<f64> {
        let exif::Value::Rational(parts) = &exif.get_field(tag, In::PRIMARY)?.value else {
            return None;
        };
        let [d, m, s] = parts.get(..3)? else {
            return None;
        };
        let value = d.to_f64() + m.to_f64() / 60.0 + s.to_f64() / 3600.0;
        let reference = exif
            .get_field(ref_tag, In::PRIMARY)?
            .display_value()
            .to_string();
        Some(if reference.eq_ignore_ascii_case(negative_ref) {
            -value
        } else {
            value
        })
    };
    let lat = degrees(Tag::GPSLatitude, "S", Tag::GPSLatitudeRef)?;
    let lon = degrees(Tag::GPSLongitude, "W", Tag::GPSLongitudeRef)?;
    // (0, 0) is what some phones write when they have no fix.
    if lat == 0.0 && lon == 0.0 {
        return None;
    }
    LonLat::new(lon, lat).ok()
}

/// Encodes as a baseline JPEG; transparent areas are laid over white first.
fn encode_jpeg(image: &DynamicImage) -> Result<Vec<u8>, PhotoError> {
    let rgb: RgbImage = if image.color().has_alpha() {
        let rgba = image.to_rgba8();
        RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
            let [r, g, b, a] = rgba.get_pixel(x, y).0;
            let over_white = |c: u8| ((c as u16 * a as u16 + 255 * (255 - a as u16)) / 255) as u8;
            image::Rgb([over_white(r), over_white(g), over_white(b)])
        })
    } else {
        image.to_rgb8()
    };
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(|_| PhotoError::Corrupt)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heif_is_recognised_by_its_ftyp_brand() {
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        assert_eq!(sniff(&heic).unwrap_err(), PhotoError::Heic);
        assert_eq!(
            sniff(b"hello, not an image").unwrap_err(),
            PhotoError::NotAnImage
        );
    }

    #[test]
    fn gps_position_is_read_from_exif() {
        let bytes = std::fs::read("fixtures/photos/pothole-gps.jpg").unwrap();
        let photo = process_photo(&bytes, &PhotoLimits::default()).unwrap();
        let gps = photo.gps.expect("the fixture carries a GPS position");
        assert!(
            (gps.lat() - 46.07).abs() < 1e-6 && (gps.lon() - 23.583).abs() < 1e-6,
            "{gps:?}"
        );
    }

    #[test]
    fn oversize_upload_is_refused_before_decoding() {
        let limits = PhotoLimits {
            max_bytes: 10,
            ..PhotoLimits::default()
        };
        assert_eq!(
            process_photo(&[0u8; 11], &limits).unwrap_err(),
            PhotoError::TooLarge { max_bytes: 10 }
        );
    }

    #[test]
    fn a_baseline_jpeg_is_budgeted_at_display_scale_and_a_progressive_one_in_full() {
        let baseline = std::fs::read("fixtures/photos/pothole-gps.jpg").unwrap();
        let photo = inspect_photo(&baseline, &PhotoLimits::default()).unwrap();
        assert!(photo.scaled);
        let progressive = std::fs::read("fixtures/photos/progressive.jpg").unwrap();
        let photo = inspect_photo(&progressive, &PhotoLimits::default()).unwrap();
        assert!(!photo.scaled);
        // RGB pixels and two bytes a sample of coefficients, at full size.
        assert!(photo.decode_bytes >= 2400 * 1600 * 3 * 3, "{photo:?}");
        let rendered = render_photo(&progressive, &photo).unwrap();
        assert_eq!((rendered.width, rendered.height), (2400, 1600));
    }
}
