use leptos::prelude::Owner;

/// The allocator of the app's wasm (the search worker keeps the default one).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    // A panic (a bug: the app handles bad data without one) is reported on the console
    // before the wasm aborts.
    std::panic::set_hook(Box::new(|info| {
        let message = info.payload_as_str().unwrap_or("panic");
        let (file, line) = info.location().map_or(("", 0), |l| (l.file(), l.line()));
        web_sys::console::error_3(&message.into(), &file.into(), &line.into());
    }));
    // This task has just instantiated the wasm (compiled in the task before it, see
    // `matome_site::app::loader`). The app starts in the next tasks, one step each, and its
    // features in the steps after (`Live`), so no single task on a slow phone holds all of
    // it: the first-paint budget is 50 ms per task, and at 4x CPU slowdown most of a first
    // call's time is the browser compiling the wasm functions it reaches.
    matome_web::dom::step(start);
}

thread_local! {
    /// The app's root owner: the route context lives here for the page's lifetime.
    static ROOT: Owner = Owner::new();
}

fn start() {
    // A prerendered page keeps its content: the router mounts into its `<main>` (see
    // `takeover`). A page without one gets the whole app.
    let main = matome_web::takeover::begin();
    // Routing starts effects before `mount_to` would set up their executor.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let root = ROOT.with(Owner::clone);
    let routing = root.clone();
    matome_web::dom::step(move || {
        routing.with(matome_web::start_routing);
    });
    matome_web::dom::step(move || {
        root.with(|| match main {
            Some(main) => leptos::mount::mount_to(main, matome_web::Live).forget(),
            None => leptos::mount::mount_to_body(matome_web::App),
        })
    });
}
