//! semnal: GIS incident reporting for municipalities.
//!
//! Layers, dependencies pointing down: `http` → services (`intake`, `routing`, `seed`) →
//! `spatial` / `store` / `media` → `domain`.

pub mod admission;
pub mod app;
pub mod config;
pub mod domain;
pub mod http;
pub mod intake;
pub mod limits;
pub mod media;
pub mod routing;
pub mod seed;
pub mod spatial;
pub mod store;
pub mod telemetry;
pub mod tiles;
