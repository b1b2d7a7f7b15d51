//! Browser test harness (skeleton).
