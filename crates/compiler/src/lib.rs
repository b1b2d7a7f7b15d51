//! The matome content compiler (skeleton; the passes land with the compiler issue).
