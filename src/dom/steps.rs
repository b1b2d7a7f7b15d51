//! The app's start as a row of short tasks ([`step`]), so no task on a slow phone runs
//! long.

use std::cell::{Cell, RefCell};

use super::{later, window};

thread_local! {
    static STEPS: RefCell<std::collections::VecDeque<Box<dyn FnOnce()>>> = RefCell::default();
    static STEPPING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` in a task of its own once the steps queued before it have run, one step per
/// task: the app's start is a row of short steps with the browser free to paint and
/// handle input between them (a slow phone's budget is 50 ms per task). Nothing at build
/// time.
pub fn step(f: impl FnOnce() + 'static) {
    queue_step(Box::new(f), false);
}

/// Like [`step`], but ahead of the steps already queued: for the rest of a step's work
/// (a long scan done a slice per task) before whatever was queued after that step.
pub fn step_next(f: impl FnOnce() + 'static) {
    queue_step(Box::new(f), true);
}

fn queue_step(f: Box<dyn FnOnce()>, first: bool) {
    if window().is_none() {
        return;
    }
    STEPS.with(|s| {
        if first {
            s.borrow_mut().push_front(f)
        } else {
            s.borrow_mut().push_back(f)
        }
    });
    if !STEPPING.with(|r| r.replace(true)) {
        later(run_step, 0);
    }
}

fn run_step() {
    let next = STEPS.with(|s| s.borrow_mut().pop_front());
    match next {
        Some(f) => {
            f();
            later(run_step, 0);
        }
        None => STEPPING.with(|r| r.set(false)),
    }
}
