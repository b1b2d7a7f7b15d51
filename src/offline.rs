//! Offline reading: registers the site's service worker (`sw.js`, written by `matome
//! publish` from `crates/site/src/sw.js`) once the page is painted and taken over, when
//! the browser is idle, so it never competes with the first load. When a deployment
//! brought a new worker (a new app), it waits, and the page shows 「新しい版があります」
//! with 「再読み込み」 (the look of the error view's update message): the click lets the
//! new worker take over and reloads the page once it has.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration};

use crate::{api, dom};

/// Registers the worker when the browser is next idle (a timeout where it has no
/// `requestIdleCallback`); nothing at build time or without service workers (plain
/// HTTP on a non-local host).
pub fn init() {
    let Some(w) = dom::window() else { return };
    let run = Closure::once_into_js(register);
    let run: &js_sys::Function = run.unchecked_ref();
    if js_sys::Reflect::has(&w, &JsValue::from_str("requestIdleCallback")).unwrap_or(false) {
        let _ = w.request_idle_callback(run);
    } else {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(run, 2000);
    }
}

fn container() -> Option<ServiceWorkerContainer> {
    let nav = dom::window()?.navigator();
    js_sys::Reflect::has(&nav, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| nav.service_worker())
}

fn register() {
    let Some(sw) = container() else { return };
    let options = web_sys::RegistrationOptions::new();
    options.set_scope(&api::href(""));
    let registered = sw.register_with_options(&api::href("sw.js"), &options);
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(reg) = wasm_bindgen_futures::JsFuture::from(registered).await else {
            return;
        };
        // The first worker of this browser announces nothing: there was no older version.
        if sw.controller().is_some() {
            watch(&reg.unchecked_into());
        }
    });
}

/// Shows the notice when a new worker is waiting, now or once the one installing is.
fn watch(reg: &ServiceWorkerRegistration) {
    if reg.waiting().is_some() {
        notice(reg);
    } else if let Some(installing) = reg.installing() {
        installing.set_onstatechange(Some(&again(reg)));
    } else {
        reg.set_onupdatefound(Some(&again(reg)));
    }
}

fn again(reg: &ServiceWorkerRegistration) -> js_sys::Function {
    let reg = reg.clone();
    Closure::<dyn FnMut()>::new(move || watch(&reg))
        .into_js_value()
        .unchecked_into()
}

/// 「新しい版があります」 at the bottom of the window, once.
fn notice(reg: &ServiceWorkerRegistration) {
    let Some(doc) = dom::document() else { return };
    if doc
        .query_selector(".update-notice")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let (Some(body), Ok(el)) = (doc.body(), doc.create_element("div")) else {
        return;
    };
    el.set_class_name("update-notice error-view");
    let _ = el.set_attribute("role", "status");
    let _ = el.set_attribute("data-error", "update");
    // Fixed text only.
    el.set_inner_html(
        "<p class=\"error-view-title\">新しい版があります</p>\
         <button type=\"button\" class=\"button error-view-retry\">再読み込み</button>",
    );
    let reg = reg.clone();
    let click = Closure::<dyn FnMut()>::new(move || match (reg.waiting(), container()) {
        (Some(waiting), Some(sw)) => {
            let reload = Closure::<dyn FnMut()>::new(dom::reload).into_js_value();
            sw.set_oncontrollerchange(Some(reload.unchecked_ref()));
            let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
        }
        _ => dom::reload(),
    });
    if let Some(button) = el
        .last_element_child()
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
    {
        button.set_onclick(Some(click.into_js_value().unchecked_ref()));
    }
    let _ = body.append_child(&el);
}
