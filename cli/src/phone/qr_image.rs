//! Reading a login QR code from a picture (`qoltanba login --qr-image FILE.png`).

use std::path::Path;

use crate::error::CliError;

/// The text of the one QR code in the PNG picture at `path`.
pub fn read(path: &Path) -> Result<String, CliError> {
    let bytes = std::fs::read(path).map_err(CliError::io(path))?;
    decode(&bytes).map_err(|reason| CliError::unreadable(path, reason))
}

/// The text of the one QR code in a PNG picture.
fn decode(png: &[u8]) -> Result<String, String> {
    let picture = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .map_err(|e| format!("not a PNG picture: {e}"))?
        .to_luma8();
    let (width, height) = (picture.width() as usize, picture.height() as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        picture.get_pixel_checked(x as u32, y as u32).map_or(255, |pixel| pixel.0[0])
    });
    let grids = prepared.detect_grids();
    let [grid] = grids.as_slice() else {
        return Err(format!("expected one QR code in the picture, found {}", grids.len()));
    };
    grid.decode().map(|(_, text)| text).map_err(|e| format!("the QR code cannot be read: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG of `text` as a QR code, drawn with the `qrcode` crate the server draws with.
    fn png_of(text: &str) -> Vec<u8> {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let width = code.width();
        let scale = 4;
        let quiet = 4;
        let side = ((width + 2 * quiet) * scale) as u32;
        let colors = code.to_colors();
        let picture = image::GrayImage::from_fn(side, side, |x, y| {
            let (cx, cy) = ((x as usize / scale).checked_sub(quiet), (y as usize / scale).checked_sub(quiet));
            let dark = match (cx, cy) {
                (Some(cx), Some(cy)) if cx < width && cy < width => {
                    colors[cy * width + cx] == qrcode::Color::Dark
                }
                _ => false,
            };
            image::Luma([if dark { 0 } else { 255 }])
        });
        let mut png = Vec::new();
        picture.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        png
    }

    #[test]
    fn reads_the_text_of_a_drawn_login_code() {
        let text = format!("qoltanba-login:AbCdEfGhIjKlMnOpQrStUv.7.{}", "0f".repeat(32));
        assert_eq!(decode(&png_of(&text)).unwrap(), text);
    }

    #[test]
    fn refuses_a_picture_without_a_code_and_bytes_that_are_not_png() {
        let blank = image::GrayImage::from_pixel(64, 64, image::Luma([255]));
        let mut png = Vec::new();
        blank.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        assert!(decode(&png).unwrap_err().contains("found 0"));
        assert!(decode(b"GIF89a").unwrap_err().contains("not a PNG"));
    }
}
