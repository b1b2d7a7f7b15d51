fn main() {
    console_error_panic_hook::set_once();
    // This task has just compiled and instantiated the wasm: the app starts in the next
    // one, and its features in the steps after (`Live`), so no single task on a slow
    // phone holds all of it (the first-paint budget is 50 ms per task).
    matome_web::dom::step(start);
}

fn start() {
    // A prerendered page keeps its content: the router mounts into its `<main>` (see
    // `takeover`). A page without one gets the whole app.
    match matome_web::takeover::begin() {
        Some(main) => leptos::mount::mount_to(main, matome_web::Live).forget(),
        None => leptos::mount::mount_to_body(matome_web::App),
    }
}
