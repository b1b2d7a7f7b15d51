//! The search worker: a wasm of its own, loaded by the search page only, so the
//! search engine is not part of the page's first load (see `matome_web::search`).

fn main() {
    matome_web::search::engine::run();
}
