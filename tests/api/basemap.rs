//! The offline basemap: archive tiles, TileJSON, style and glyphs, all local.

use crate::helpers::TestApp;
use serde_json::Value;
use std::io::Read;

#[tokio::test]
async fn the_basemap_style_tiles_and_glyphs_are_served_without_internet() {
    let app = TestApp::spawn().await;
    let style = app.get_json("/tiles/style.json").await;
    assert_eq!(style["version"], 8);
    assert_eq!(style["sources"]["basemap"]["url"], "/tiles/basemap.json");
    let glyphs = style["glyphs"].as_str().unwrap();
    assert!(glyphs.starts_with("/tiles/fonts/"), "{glyphs}");
    // Every URL in the style is local.
    assert!(!style.to_string().contains("https://"));

    let tilejson = app.get_json("/tiles/basemap.json").await;
    let layers: Vec<&str> = tilejson["vector_layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    for layer in ["transportation", "building", "water"] {
        assert!(layers.contains(&layer), "{layer} missing from {layers:?}");
    }
    for source_layer in style["layers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["source-layer"].as_str())
    {
        assert!(
            layers.contains(&source_layer),
            "style uses unknown layer {source_layer}"
        );
    }
    assert!(tilejson["attribution"]
        .as_str()
        .unwrap()
        .contains("OpenStreetMap"));

    // The tile at the archive's centre, at its deepest zoom, has streets and buildings.
    let center = tilejson["center"].as_array().unwrap();
    let (lon, lat) = (center[0].as_f64().unwrap(), center[1].as_f64().unwrap());
    let z = tilejson["maxzoom"].as_u64().unwrap() as u8;
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n) as u32;
    let y = ((1.0
        - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / std::f64::consts::PI)
        / 2.0
        * n) as u32;
    let response = app.get(&format!("/tiles/basemap/{z}/{x}/{y}.pbf")).await;
    assert_eq!(response.status(), 200);
    let gzip = response
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = response.bytes().await.unwrap().to_vec();
    let bytes = if gzip.as_deref() == Some("gzip") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        bytes
    };
    let reader = mvt_reader::Reader::new(bytes).unwrap();
    let names = reader.get_layer_names().unwrap();
    for layer in ["transportation", "building"] {
        let index = names
            .iter()
            .position(|n| n == layer)
            .unwrap_or_else(|| panic!("{layer} not in {names:?}"));
        assert!(!reader.get_features(index).unwrap().is_empty());
    }

    // Label glyphs for the style's fonts (the name arrives URL-encoded).
    let font: String = style["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|l| l["layout"]["text-font"][0].as_str().map(str::to_owned))
        .expect("a label layer");
    let glyph = app
        .get(&format!(
            "/tiles/fonts/{}/0-255.pbf",
            font.replace(' ', "%20")
        ))
        .await;
    assert_eq!(glyph.status(), 200);
    assert!(glyph.bytes().await.unwrap().len() > 1000);
    // The sprite the style names, in both pixel ratios, and every icon it can ask for.
    let sprite = style["sprite"].as_str().expect("the style has a sprite");
    for ratio in ["", "@2x"] {
        let index = app.get_json(&format!("{sprite}{ratio}.json")).await;
        let png = app.get(&format!("{sprite}{ratio}.png")).await;
        assert_eq!(png.status(), 200);
        let png = image::load_from_memory(&png.bytes().await.unwrap()).unwrap();
        for (name, icon) in index.as_object().unwrap() {
            let right = icon["x"].as_u64().unwrap() + icon["width"].as_u64().unwrap();
            assert!(
                right <= u64::from(png.width()),
                "{name} lies outside the sprite"
            );
        }
        assert!(index.as_object().unwrap().len() >= 8);
    }
    let missing: Value = app
        .get("/tiles/basemap/3/0/0.pbf")
        .await
        .status()
        .as_u16()
        .into();
    assert!(missing == 204 || missing == 200);
}
