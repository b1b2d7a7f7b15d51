//! The page's side of the search worker ([`super::engine`]): starts it once per page
//! load, sends it the reader's requests and hands its answers to the search page's
//! signal. A worker that fails to load or crashes is dropped; the next request (the
//! page's retry button) starts a new one.

use std::cell::{Cell, RefCell};

use js_sys::Array;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, MessageEvent, Worker};

use super::protocol::{Answer, Request, READY};
use crate::{api, dom};

/// The page names the worker's file in this meta tag (`make dist` gives it a content
/// hash); without it (a development build) Trunk's loader is used.
const WORKER_META: &str = "meta[name=matome-search-worker]";
const DEV_WORKER: &str = "search-worker_loader.js";

/// Shown when the worker cannot run at all.
const NO_WORKER: &str = "検索を開始できませんでした";

/// A running worker and the handlers it calls (kept as long as it is).
struct Connection {
    worker: Worker,
    /// Messages held until the worker says it listens ([`READY`]); `None` once it does.
    held: Option<Vec<Array>>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(Event)>,
}

thread_local! {
    static WORKER: RefCell<Option<Connection>> = const { RefCell::new(None) };
    static LAST_ID: Cell<u32> = const { Cell::new(0) };
    /// The request the search page waits for, and where its answers go.
    static SINK: Cell<Option<(u32, RwSignal<Answer>)>> = const { Cell::new(None) };
}

fn worker_url() -> String {
    let named = dom::document()
        .and_then(|d| d.query_selector(WORKER_META).ok().flatten())
        .and_then(|m| m.get_attribute("content"));
    api::href(named.as_deref().unwrap_or(DEV_WORKER))
}

fn connect() -> Option<Connection> {
    dom::window()?;
    let worker = Worker::new(&worker_url()).ok()?;
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(|e: MessageEvent| {
        let text = e.data().as_string().unwrap_or_default();
        if text == READY {
            // Sent in a task of their own: not while this handler runs.
            dom::later(release, 0);
            return;
        }
        let Some((id, sink)) = SINK.get() else {
            return;
        };
        // Answers to the requests of earlier keystrokes are not even read: typing fast
        // leaves a queue of them behind the keystrokes, and reading each delayed the
        // one the page waits for.
        if answer_id(&text) != Some(id) {
            return;
        }
        if let Ok(answer) = serde_json::from_str::<Answer>(&text) {
            sink.try_set(answer);
        }
    });
    let on_error = Closure::<dyn Fn(Event)>::new(|_: Event| {
        // Dropped in a task of its own: not while this handler runs.
        dom::later(|| drop(WORKER.with(|w| w.borrow_mut().take())), 0);
        if let Some((id, sink)) = SINK.get() {
            sink.try_update(|a| {
                if a.id == id {
                    a.running = false;
                    a.error = Some(NO_WORKER.into());
                }
            });
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(Connection {
        worker,
        held: Some(Vec::new()),
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// The request an [`Answer`]'s JSON text names: its first field.
fn answer_id(text: &str) -> Option<u32> {
    let rest = text.strip_prefix("{\"id\":")?;
    let end = rest.find(|c: char| !c.is_ascii_digit())?;
    rest[..end].parse().ok()
}

/// Posts `message` to the worker (or holds it until the worker listens), starting the
/// worker first when there is none; `false` when no worker can run (at build time, or a
/// browser that refuses it).
fn send(message: &Array) -> bool {
    WORKER.with(|w| {
        let mut w = w.borrow_mut();
        if w.is_none() {
            *w = connect();
        }
        match w.as_mut() {
            None => false,
            Some(Connection {
                held: Some(held), ..
            }) => {
                held.push(message.clone());
                true
            }
            Some(c) => c.worker.post_message(message).is_ok(),
        }
    })
}

/// The worker listens: sends what was held for it.
fn release() {
    WORKER.with(|w| {
        if let Some(c) = w.borrow_mut().as_mut() {
            for message in c.held.take().unwrap_or_default() {
                let _ = c.worker.post_message(&message);
            }
        }
    });
}

fn message(kind: &str, id: u32, request: &Request) -> Array {
    let m = Array::new();
    m.push(&JsValue::from_str(kind));
    m.push(&JsValue::from(id));
    for part in [&request.q, &request.tag, &request.month] {
        m.push(&JsValue::from_str(part));
    }
    m
}

/// Starts the worker and has it read the post table while the reader types (or
/// before: the header's search link calls this when pointed at). Once is enough: a
/// running worker is left alone.
pub fn warm() {
    if WORKER.with(|w| w.borrow().is_none()) {
        send(&message("warm", 0, &Request::default()));
    }
}

/// Answers `request` from scratch into `sink` (an empty query answers nothing).
pub fn search(request: &Request, sink: RwSignal<Answer>) {
    let id = LAST_ID.get() + 1;
    LAST_ID.set(id);
    if request.q.trim().is_empty() {
        stop();
        sink.try_set(Answer::default());
        return;
    }
    SINK.set(Some((id, sink)));
    // The results before stay, dimmed (`data-state=loading`), until this request's
    // first answer replaces them: typing neither blanks the list at every key nor has
    // the page tear it down and rebuild it between keystrokes.
    sink.try_update(|a| {
        *a = Answer {
            id,
            running: true,
            found: std::mem::take(&mut a.found),
            ..Answer::default()
        }
    });
    if !send(&message("search", id, request)) {
        refused(sink);
    }
}

/// Confirms more candidates of the current request, or retries it after an error.
pub fn more(request: &Request) {
    let Some((id, sink)) = SINK.get() else {
        return;
    };
    sink.try_update(|a| {
        a.running = true;
        a.error = None;
    });
    if !send(&message("more", id, request)) {
        refused(sink);
    }
}

/// Stops the running request: the page is gone or the query was cleared.
pub fn stop() {
    SINK.set(None);
    WORKER.with(|w| {
        if let Some(c) = w.borrow_mut().as_mut() {
            match c.held.as_mut() {
                // Nothing sent yet: nothing to stop, but the request to read the post
                // table ahead ("warm") stays. Dropping it too (the empty query on
                // opening the page stops, often before a busy phone's worker has
                // started) left the table to the first keystroke: half of the cold
                // searches waited for `site.json` and the table after typing.
                Some(held) => held.retain(|m| m.get(0).as_string().as_deref() == Some("warm")),
                None => {
                    let _ = c
                        .worker
                        .post_message(&message("stop", 0, &Request::default()));
                }
            }
        }
    });
}

fn refused(sink: RwSignal<Answer>) {
    sink.try_update(|a| {
        a.running = false;
        a.error = Some(NO_WORKER.into());
    });
}
