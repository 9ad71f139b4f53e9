//! QR codes drawn on the server as SVG, so no third party ever sees what
//! they hold (an authenticator key, a patient number).

use base64::Engine;

/// The QR code of `text` as an `<img>` source.
pub fn data_uri(text: &str) -> String {
    let svg = qrcode::QrCode::new(text.as_bytes())
        .map(|code| {
            code.render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default();
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    )
}
