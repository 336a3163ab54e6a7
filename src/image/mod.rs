//! The image pipeline of the attachment fields: what a picked file is ([`inspect`], by its bytes, with the
//! domain crate's rules), and the browser-side work on it before it is uploaded.

pub mod inspect;
