fn main() {
    console_error_panic_hook::set_once();
    // A prerendered page keeps its content: the router mounts into its `<main>` (see
    // `takeover`). A page without one gets the whole app.
    match matome_web::takeover::begin() {
        Some(main) => leptos::mount::mount_to(main, matome_web::Live).forget(),
        None => leptos::mount::mount_to_body(matome_web::App),
    }
    matome_web::takeover::mark_live();
}
