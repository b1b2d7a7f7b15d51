//! Offline reading: registers the site's service worker (`sw.js`, written by `matome
//! publish` from `crates/site/src/sw.js`) once the page is painted and taken over, when
//! the browser is idle, so it never competes with the first load. When a deployment
//! brought a new worker (a new app), it waits, and the page shows 「新しい版があります」
//! with 「再読み込み」 (the look of the error view's update message): the click lets the
//! new worker take over and reloads the page once it has.

use std::cell::RefCell;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration};

use crate::islands::{mount, Mounted};
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

thread_local! {
    /// The notice, once shown (it stays for the page's lifetime).
    static NOTICE: RefCell<Option<Mounted>> = const { RefCell::new(None) };
}

/// 「新しい版があります」 at the bottom of the window, once.
fn notice(reg: &ServiceWorkerRegistration) {
    if NOTICE.with(|n| n.borrow().is_some()) {
        return;
    }
    let Some(body) = dom::document().and_then(|d| d.body()) else {
        return;
    };
    let reg = SendWrapper::new(reg.clone());
    let mounted = mount(&body, None, move || {
        view! { <UpdateNotice reg /> }.into_any()
    });
    NOTICE.with(|n| *n.borrow_mut() = Some(mounted));
}

/// The update notice: 再読み込み lets the waiting worker take over and reloads the page
/// once it has (or simply reloads when no worker is waiting any more).
#[component]
fn UpdateNotice(reg: SendWrapper<ServiceWorkerRegistration>) -> impl IntoView {
    let reload = move |_| match (reg.waiting(), container()) {
        (Some(waiting), Some(sw)) => {
            let reload = Closure::<dyn FnMut()>::new(dom::reload).into_js_value();
            sw.set_oncontrollerchange(Some(reload.unchecked_ref()));
            let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
        }
        _ => dom::reload(),
    };
    view! {
        <div class="update-notice error-view" role="status" data-error="update">
            <p class="error-view-title">"新しい版があります"</p>
            <button type="button" class="button error-view-retry" on:click=reload>"再読み込み"</button>
        </div>
    }
}
