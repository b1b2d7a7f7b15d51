fn main() {
    console_error_panic_hook::set_once();
    // On a prerendered page the app renders into a detached root and takes the page over
    // when its content is ready (see `takeover`).
    if let Some(root) = matome_web::takeover::mount_point() {
        leptos::mount::mount_to(root, matome_web::App).forget();
    }
}
