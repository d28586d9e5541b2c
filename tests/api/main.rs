//! Integration tests against a real server and a real PostgreSQL + PostGIS database.

mod helpers;
mod intake;
