//! JPEG decoded straight at the display derivative's scale: the decoder's IDCT runs at 1/2,
//! 1/4 or 1/8 size, so a 48-megapixel photo costs the memory and time of a 3-megapixel one.
//! (`image` decodes JPEG with zune-jpeg, which always decodes at full size.)

use image::{DynamicImage, GrayImage, RgbImage};
use jpeg_decoder::{CodingProcess, Decoder, PixelFormat};
use std::io::Cursor;

/// A decode at reduced scale: its size and the bytes its pixels take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ScaledSize {
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
}

/// The scale the decode of `bytes` would have for a longest side of at least `side`, when
/// the JPEG is a baseline one in grey or RGB. Progressive JPEGs keep every coefficient at
/// full size whatever the scale, and CMYK and 16-bit ones are rare from phones: they take
/// the full path.
pub(super) fn plan(bytes: &[u8], side: u16) -> Option<ScaledSize> {
    let mut decoder = Decoder::new(Cursor::new(bytes));
    decoder.read_info().ok()?;
    let info = decoder.info()?;
    if info.coding_process == CodingProcess::DctProgressive {
        return None;
    }
    let channels: u64 = match info.pixel_format {
        PixelFormat::L8 => 1,
        PixelFormat::RGB24 => 3,
        PixelFormat::L16 | PixelFormat::CMYK32 => return None,
    };
    let (width, height) = decoder.scale(side, side).ok()?;
    let (width, height) = (u32::from(width), u32::from(height));
    Some(ScaledSize {
        width,
        height,
        bytes: u64::from(width) * u64::from(height) * channels,
    })
}

/// Whether `bytes` is a progressive JPEG, whose decoder holds two bytes per sample of
/// coefficients beside the pixels.
pub(super) fn is_progressive(bytes: &[u8]) -> bool {
    let mut decoder = Decoder::new(Cursor::new(bytes));
    decoder.read_info().is_ok()
        && decoder
            .info()
            .is_some_and(|i| i.coding_process == CodingProcess::DctProgressive)
}

/// Decodes as [`plan`] said, holding at most `max_bytes` while decoding.
pub(super) fn decode(bytes: &[u8], side: u16, max_bytes: u64) -> Option<DynamicImage> {
    let mut decoder = Decoder::new(Cursor::new(bytes));
    decoder.set_max_decoding_buffer_size(usize::try_from(max_bytes).ok()?);
    decoder.read_info().ok()?;
    let (width, height) = decoder.scale(side, side).ok()?;
    let (width, height) = (u32::from(width), u32::from(height));
    let format = decoder.info()?.pixel_format;
    let pixels = decoder.decode().ok()?;
    match format {
        PixelFormat::L8 => GrayImage::from_raw(width, height, pixels).map(DynamicImage::from),
        PixelFormat::RGB24 => RgbImage::from_raw(width, height, pixels).map(DynamicImage::from),
        PixelFormat::L16 | PixelFormat::CMYK32 => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::jpeg::JpegEncoder;

    #[test]
    fn a_large_jpeg_is_decoded_at_an_eighth_of_its_size_and_no_smaller_than_asked() {
        let big = RgbImage::from_fn(4096, 2048, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 80)
            .encode_image(&big)
            .unwrap();
        let planned = plan(&jpeg, 400).unwrap();
        assert_eq!((planned.width, planned.height), (512, 256));
        assert_eq!(planned.bytes, 512 * 256 * 3);
        let image = decode(&jpeg, 400, planned.bytes).unwrap();
        assert_eq!((image.width(), image.height()), (512, 256));
        // The full image would need 64 times the memory: refused under this budget.
        assert!(decode(&jpeg, 4096, planned.bytes).is_none());
    }
}
